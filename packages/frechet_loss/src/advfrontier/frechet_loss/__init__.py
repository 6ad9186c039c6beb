"""Representation Fréchet loss (FD-loss) for one-step visual generation.

Jiawei Yang, Geng, Ju, Tian, Wang, "Representation Fréchet Loss for Visual Generation", arXiv 2604.28190.
The Fréchet distance between Gaussian fits of real and generated features, with population statistics
(a feature queue or an EMA far larger than the batch), used as a training loss that turns a multi-step
generator into a one-step one, with no teacher and no discriminator.
"""
