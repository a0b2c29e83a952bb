#!/usr/bin/env bash
# Hugging Face `accelerate launch` for "@@JOB_NAME@@", with launch/accelerate-config.yaml.
#   one node:    bash launch/accelerate.sh
#   several:     on every node, NNODES=2 NODE_RANK=<0..> MAIN_ADDR=node0 bash launch/accelerate.sh
# Optional: NPROC_PER_NODE (default @@GPUS_PER_NODE@@), MAIN_PORT (29500), BASE_MODEL, PYTHON.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
NNODES="${NNODES:-@@NODES@@}"
NPROC_PER_NODE="${NPROC_PER_NODE:-@@GPUS_PER_NODE@@}"
ARGS=(--config_file "$BUNDLE_DIR/launch/accelerate-config.yaml" --num_machines "$NNODES"
  --num_processes "$((NNODES * NPROC_PER_NODE))")
if [ "$NNODES" -gt 1 ]; then
  : "${MAIN_ADDR:?set MAIN_ADDR (the address of node 0) for a multi-node run}"
  ARGS+=(--machine_rank "${NODE_RANK:?set NODE_RANK}" --main_process_ip "$MAIN_ADDR"
    --main_process_port "${MAIN_PORT:-29500}")
fi
exec "$PYTHON" -m accelerate.commands.launch "${ARGS[@]}" -m lora_trainer train --run-dir "$RUN_DIR" \
  >>"$RUN_DIR/stdout.log"
