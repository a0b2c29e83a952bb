#!/usr/bin/env bash
# torchrun (PyTorch elastic) launcher for "@@JOB_NAME@@".
#   one node:    NPROC_PER_NODE=@@GPUS_PER_NODE@@ bash launch/torchrun.sh
#   several:     on every node, NNODES=2 RDZV_ENDPOINT=node0:29500 bash launch/torchrun.sh
#                (RUN_DIR must be on a file system all nodes share; only rank 0 writes to it)
# Optional: BASE_MODEL=/path/to/base (the model folder on this machine), PYTHON=python3.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
NNODES="${NNODES:-@@NODES@@}"
NPROC_PER_NODE="${NPROC_PER_NODE:-@@GPUS_PER_NODE@@}"
if [ "$NNODES" -gt 1 ]; then
  : "${RDZV_ENDPOINT:?set RDZV_ENDPOINT=host:port (reachable from every node) for a multi-node run}"
  RDZV=(--nnodes="$NNODES" --rdzv-backend=c10d --rdzv-endpoint="$RDZV_ENDPOINT" --rdzv-id="${RDZV_ID:-@@JOB_ID@@}")
else
  RDZV=(--standalone --nnodes=1)
fi
# Events (JSON lines) also go to $RUN_DIR/events.jsonl; stdout keeps a copy, stderr is the log.
exec "$PYTHON" -m torch.distributed.run "${RDZV[@]}" --nproc-per-node="$NPROC_PER_NODE" \
  -m lora_trainer train --run-dir "$RUN_DIR" >>"$RUN_DIR/stdout.log"
