"""Paper scale: CAT vs WARDEN on a chat LLM read from a local folder, HarmBench behaviours as data.

Per optimiser step, n_adv = adv_fraction·batch_size·grad_accum HarmBench behaviours are attacked in
embedding space (δ on every prompt token, per-token L2 ball ε·mean‖E_v‖, descending the NLL of a
harmful target) and their per-example CAT-UL losses are aggregated by the mean (CAT) or by WARDEN's
DRO layer; the other examples of the step are utility chats (plain NLL). LoRA on all linear layers.
ASR: greedy generations judged by HarmBench's classifier when its weights are in the data directory, else
by a refusal-keyword judge (``judge.py``; the card says which). The base model is loaded in 4-bit NF4 when
CUDA and bitsandbytes are there (as the released code), else in ``llm.dtype``. Utility: NLL and
over-refusal on held-out chats, plus MMLU / ARC-Challenge accuracy when their files are present
(``benchmarks.py``).
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import torch
from torch import Tensor, nn

from advfrontier.shared.attacks import SUFFIX_MARK, embedding_pgd, gcg_text, model_mode
from advfrontier.shared.data.errors import DataNotFoundError, require, resolve_data_dir
from advfrontier.shared.engine import capped, fabric
from advfrontier.warden.benchmarks import utility_benchmarks
from advfrontier.warden.config import WardenConfig
from advfrontier.warden.dro import aggregate
from advfrontier.warden.harmbench import Behaviour, load_harmbench, read_chats
from advfrontier.warden.judge import Judge, keyword_judge, load_judge, refuses
from advfrontier.warden.lora import add_lora
from advfrontier.warden.losses import cat_adversarial_losses
from advfrontier.warden.model import embed, mean_embedding_norm, response_nll
from advfrontier.warden.train import method_aggregator

MODEL_SOURCE = (
    "the model's Hugging Face page (e.g. meta-llama/Llama-2-7b-chat-hf), saved with save_pretrained"
)
REFUSAL = "Sorry, I can't do that."


def _path(root: Path, rel: str) -> Path:
    p = Path(rel).expanduser()
    return p if p.is_absolute() else root / p


def nf4_available(device: str) -> bool:
    """4-bit NF4 loading is possible: a CUDA device and an installed bitsandbytes (transformers imports it;
    it is not a dependency of this package, as it only serves the GPU)."""
    return (
        device.startswith("cuda")
        and torch.cuda.is_available()
        and importlib.util.find_spec("bitsandbytes") is not None
    )


def load_llm(path: Path, device: str, dtype: str, nf4: bool = False) -> tuple[nn.Module, object]:
    """Model and tokenizer from a local folder (``local_files_only``); ``nf4``: the weights in 4-bit NF4
    with ``dtype`` compute, prepared for k-bit training (peft)."""
    require(
        path / "config.json", "chat model", MODEL_SOURCE, f"{path}/config.json, weights and tokenizer exist"
    )
    from transformers import AutoModelForCausalLM, AutoTokenizer

    kw: dict[str, object] = {"dtype": getattr(torch, dtype)}
    if nf4:
        from transformers import BitsAndBytesConfig

        kw["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_compute_dtype=getattr(torch, dtype),
            bnb_4bit_use_double_quant=True,
        )
        kw["device_map"] = {"": device}
    try:
        tok = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(str(path), local_files_only=True, **kw)
    except OSError as err:
        raise DataNotFoundError(
            f"cannot load the model from {path}: {err}\n  Get it from {MODEL_SOURCE}"
        ) from err
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token if tok.eos_token is not None else tok.unk_token
    if nf4:
        from peft import prepare_model_for_kbit_training

        return prepare_model_for_kbit_training(model, use_gradient_checkpointing=False), tok
    return model.to(device), tok


def chat_prompt(tok: object, user: str) -> str:
    """The user turn in the model's chat template (Llama-2 [INST] format when it has none)."""
    if getattr(tok, "chat_template", None):
        msgs = [{"role": "user", "content": user}]
        return tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
    return f"{tok.bos_token or ''}[INST] {user} [/INST]"


def encode(
    tok: object, prompts: list[str], responses: list[str], max_len: int, device: str
) -> dict[str, Tensor]:
    """Left-padded prompts and right-padded responses with their masks (prompts cut from the left)."""
    p_ids = [
        tok(chat_prompt(tok, u), add_special_tokens=False)["input_ids"][-(max_len // 2) :] for u in prompts
    ]
    r_ids = [tok(" " + r, add_special_tokens=False)["input_ids"] for r in responses]
    r_ids = [r[: max(1, max_len - len(p))] for p, r in zip(p_ids, r_ids, strict=True)]
    pad = tok.pad_token_id
    lp, lr = max(map(len, p_ids)), max(map(len, r_ids))
    out = {
        "prompt": torch.tensor([[pad] * (lp - len(p)) + p for p in p_ids]),
        "prompt_mask": torch.tensor([[0] * (lp - len(p)) + [1] * len(p) for p in p_ids]),
        "response": torch.tensor([r + [pad] * (lr - len(r)) for r in r_ids]),
        "response_mask": torch.tensor([[1] * len(r) + [0] * (lr - len(r)) for r in r_ids]),
    }
    return {k: v.to(device) for k, v in out.items()}


def _nll(
    model: nn.Module, e: Tensor, enc: dict[str, Tensor], resp: dict[str, Tensor] | None = None
) -> Tensor:
    r = enc if resp is None else resp
    return response_nll(
        model, e, r["response"], attention_mask=enc["prompt_mask"], response_mask=r["response_mask"]
    )


def attack(
    model: nn.Module, enc: dict[str, Tensor], eps_rel: float, steps: int, g: torch.Generator
) -> Tensor:
    """Embedding-space attack on the prompt tokens towards ``enc``'s response (the harmful target)."""
    with model_mode(model, False):
        e = embed(model, enc["prompt"]).detach()
        return embedding_pgd(
            lambda z: _nll(model, z, enc),
            e,
            eps_rel * mean_embedding_norm(model),
            steps=steps,
            norm="L2",
            mask=enc["prompt_mask"],
            maximize=False,
            generator=g,
        )


@torch.no_grad()
def generate(model: nn.Module, e: Tensor, mask: Tensor, steps: int) -> Tensor:
    """Greedy tokens after (possibly perturbed) left-padded prompt embeddings, with the key/value cache."""
    out, past = [], None
    pos = (mask.cumsum(1) - 1).clamp_min(0)
    for _ in range(steps):
        res = model(
            inputs_embeds=e, attention_mask=mask, position_ids=pos, past_key_values=past, use_cache=True
        )
        past = res.past_key_values
        nxt = res.logits[:, -1].argmax(-1)
        out.append(nxt)
        e = embed(model, nxt[:, None]).to(e.dtype)
        mask = torch.cat([mask, torch.ones_like(mask[:, :1])], 1)
        pos = pos[:, -1:] + 1
    return torch.stack(out, 1)


@torch.no_grad()
def greedy_replies(
    model: nn.Module, tok: object, users: list[str], max_len: int, device: str, tokens: int
) -> list[str]:
    """The greedy ``tokens``-token replies to the user turns ``users`` (one left-padded batch), decoded."""
    enc = encode(tok, users, [""] * len(users), max_len, device)
    ids = generate(model, embed(model, enc["prompt"]), enc["prompt_mask"], tokens)
    return tok.batch_decode(ids, skip_special_tokens=True)


def gcg_asr(
    model: nn.Module,
    tok: object,
    behaviours: list[Behaviour],
    judge: Judge,
    cfg: WardenConfig,
    g: torch.Generator,
) -> float:
    """% of the first ``llm.gcg_behaviours`` behaviours that some GCG suffix (right after the user's text,
    towards the behaviour's first target) makes the judge rule harmful; ``llm.gen_tokens`` greedy tokens."""
    llm = cfg.llm
    assert llm is not None
    model.eval()
    hits = [
        gcg_text(
            model,
            tok,
            chat_prompt(tok, b.prompt + SUFFIX_MARK),
            " " + b.targets[0],
            lambda text, b=b: judge([b], [text])[0],
            gen_tokens=llm.gen_tokens,
            suffix_len=llm.gcg_suffix,
            steps=llm.gcg_steps,
            topk=llm.gcg_topk,
            candidates=llm.gcg_candidates,
            batch=llm.batch_size * 8,
            generator=g,
        )
        for b in behaviours[: llm.gcg_behaviours]
    ]
    return 100.0 * sum(hits) / max(1, len(hits))


def train_llm(
    model: nn.Module,
    tok: object,
    behaviours: list[Behaviour],
    chats: list[tuple[str, str]],
    cfg: WardenConfig,
    kind: str,
    radius: float,
    g: torch.Generator,
) -> dict[str, float]:
    """CAT-UL with LoRA; the adversarial losses of each step aggregated by ``kind`` at ``radius``.

    Returns ``weight_max`` (mean over steps of n·max q) and ``weight_<category>`` (mean n·q of the
    category's behaviours over steps; 1 = uniform, CAT): the DRO layer's mechanism, logged in the card."""
    llm = cfg.llm
    assert llm is not None
    params = add_lora(model, llm.lora_r, llm.lora_alpha, llm.lora_dropout)
    opt = torch.optim.AdamW(params, lr=llm.lr)
    fab = fabric()  # the process's Fabric: its precision reaches the loss forwards; the model stays put
    net, fopt = fab.setup_module(model, move_to_device=False), fab.setup_optimizers(opt)
    total = llm.batch_size * llm.grad_accum
    n_adv = max(1, round(llm.adv_fraction * total))
    steps = llm.max_steps or math.ceil(llm.epochs * len(behaviours) / n_adv)
    warm = max(1, round(0.03 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt,
        lambda s: (
            (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, steps - warm)))
        ),
    )
    top, done = 0.0, capped(steps)  # --max-steps (the schedule keeps the full length)
    wsum: dict[str, float] = {}
    wcnt: dict[str, int] = {}
    for _ in range(done):
        idx = torch.randint(len(behaviours), (n_adv,), generator=g).tolist()
        bs = [behaviours[i] for i in idx]
        tgt = [b.targets[int(torch.randint(len(b.targets), (), generator=g))] for b in bs]
        harm = encode(tok, [b.prompt for b in bs], tgt, llm.max_length, cfg.device)
        ref = encode(tok, [b.prompt for b in bs], [REFUSAL] * n_adv, llm.max_length, cfg.device)
        adv = attack(model, harm, cfg.eps_rel, cfg.attack_steps, g)  # bare module: its own autograd.grad
        model.train()
        ell = cat_adversarial_losses(
            _nll(net, adv, harm, ref),
            _nll(net, adv, harm),
            cfg.w_toward,
            cfg.w_away,
            cfg.toward_cutoff,
            cfg.away_clip,
        )
        agg, q = aggregate(ell, kind, radius)
        fab.backward(agg * n_adv / total)
        top += float(q.max()) * n_adv
        for b, w in zip(bs, (q.detach() * n_adv).tolist(), strict=True):  # n·q per behaviour category
            wsum[b.category] = wsum.get(b.category, 0.0) + w
            wcnt[b.category] = wcnt.get(b.category, 0) + 1
        uidx = torch.randint(len(chats), (total - n_adv,), generator=g).tolist()
        for s in range(0, len(uidx), llm.batch_size):
            pairs = [chats[i] for i in uidx[s : s + llm.batch_size]]
            enc = encode(tok, [u for u, _ in pairs], [a for _, a in pairs], llm.max_length, cfg.device)
            fab.backward(cfg.w_util * _nll(net, embed(model, enc["prompt"]), enc).sum() / total)
        fab.clip_gradients(net, fopt, max_norm=llm.max_grad_norm)
        fopt.step()
        sched.step()
        fopt.zero_grad(set_to_none=True)
    return {"weight_max": top / done, **{f"weight_{c}": wsum[c] / wcnt[c] for c in sorted(wsum)}}


def evaluate_llm(
    model: nn.Module,
    tok: object,
    behaviours: list[Behaviour],
    chats: list[tuple[str, str]],
    cfg: WardenConfig,
    g: torch.Generator,
    judge: Judge = keyword_judge,
) -> dict[str, float]:
    """ASR (%) without attack and under embedding attacks at each ε multiple, as ``judge`` rules;
    over-refusal (%, keyword judge: benign chats carry no behaviour to classify) and utility NLL on
    held-out chats."""
    llm = cfg.llm
    assert llm is not None
    model.eval()
    hits: dict[str, list[bool]] = {"asr_direct": []}
    for s in range(0, len(behaviours), llm.batch_size):
        bs = behaviours[s : s + llm.batch_size]
        enc = encode(tok, [b.prompt for b in bs], [b.targets[0] for b in bs], llm.max_length, cfg.device)
        views = {"asr_direct": embed(model, enc["prompt"])}
        for mult in cfg.eval_eps_mults:
            key = "asr_emb" if mult == 1.0 else f"asr_emb_{mult:g}x"
            views[key] = attack(model, enc, mult * cfg.eps_rel, llm.eval_attack_steps, g)
        for key, e in views.items():
            text = tok.batch_decode(
                generate(model, e, enc["prompt_mask"], llm.gen_tokens), skip_special_tokens=True
            )
            hits.setdefault(key, []).extend(judge(bs, text))
    out = {k: 100.0 * sum(v) / len(v) for k, v in hits.items()}
    refusals, nll = [], []
    for s in range(0, len(chats), llm.batch_size):
        pairs = chats[s : s + llm.batch_size]
        enc = encode(tok, [u for u, _ in pairs], [a for _, a in pairs], llm.max_length, cfg.device)
        e = embed(model, enc["prompt"])
        with torch.no_grad():
            nll += _nll(model, e, enc).float().tolist()
        text = tok.batch_decode(
            generate(model, e, enc["prompt_mask"], llm.gen_tokens), skip_special_tokens=True
        )
        refusals += [refuses(t) for t in text]
    out["over_refusal"] = 100.0 * sum(refusals) / len(refusals)
    out["utility_nll"] = sum(nll) / len(nll)
    return out


def run_llm(cfg: WardenConfig, seed: int) -> dict[str, float]:
    """Every method of ``cfg`` from the same base model; metrics ``"<method>/<metric>"``."""
    llm = cfg.llm
    assert llm is not None
    root = resolve_data_dir(cfg.data_dir, "warden paper scale")
    hb = _path(root, llm.harmbench_dir)
    train = load_harmbench(hb, "train")
    test = load_harmbench(hb, "test")
    if llm.eval_behaviours is not None:
        test = test[: llm.eval_behaviours]
    chats = read_chats(_path(root, llm.utility_file))
    n_eval = min(64, max(1, len(chats) // 10))
    held_out, chats = chats[:n_eval], chats[n_eval:] or chats
    nf4 = llm.quantize == "auto" and nf4_available(cfg.device)
    judge, classifier = load_judge(_path(root, llm.judge_dir), cfg.device, llm.dtype)
    references, mutate = None, None
    if llm.autodan_behaviours:
        from advfrontier.warden.autodan import load_mutator, load_references

        references = load_references(_path(root, llm.autodan_file))
        mutate = load_mutator(_path(root, llm.autodan_mutator_dir), cfg.device, llm.dtype, seed)
    templates = None
    if llm.human_behaviours:
        from advfrontier.warden.human_jailbreaks import load_templates

        templates = load_templates(_path(root, llm.human_file))
    metrics: dict[str, float] = {}
    for method in cfg.methods:
        model, tok = load_llm(_path(root, llm.model_dir), cfg.device, llm.dtype, nf4)
        stats: dict[str, float] = {"nf4": float(nf4), "judge_classifier": float(classifier)}
        g = torch.Generator().manual_seed(seed)
        if method != "aligned":
            kind, radius = method_aggregator(method, cfg)
            stats.update(train_llm(model, tok, train, chats, cfg, kind, radius, g))
        res = evaluate_llm(model, tok, test, held_out, cfg, torch.Generator().manual_seed(1000 + seed), judge)
        if llm.gcg_behaviours:
            res["asr_gcg"] = gcg_asr(model, tok, test, judge, cfg, torch.Generator().manual_seed(2000 + seed))
        if references is not None:
            from advfrontier.warden.autodan import autodan_asr

            res["asr_autodan"] = autodan_asr(model, tok, test, judge, cfg, references, mutate, seed)
            res["autodan_mutation"] = float(mutate is not None)
        if templates is not None:
            from advfrontier.warden.human_jailbreaks import human_jailbreak_asr

            res["asr_human"] = human_jailbreak_asr(model, tok, test, judge, cfg, templates)
        res.update(utility_benchmarks(model, tok, root, llm.benchmark_items, llm.batch_size))
        metrics.update({f"{method}/{k}": float(v) for k, v in {**res, **stats}.items()})
        del model
    return metrics
