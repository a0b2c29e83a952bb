/** The README.md inside an export bundle: what is in it and how to run it with each engine. */
import type { BundleManifest } from './export-bundle';

/** README.md text for a bundle. */
export function bundleReadme(m: BundleManifest): string {
  const { nodes, gpusPerNode, time, partition } = m.launch;
  const has = (t: BundleManifest['targets'][number]) => m.targets.includes(t);
  const sections: string[] = [
    `# ${m.jobName} — a LoRA Studio training bundle`,
    '',
    `Exported ${m.exportedAt} from job \`${m.jobId}\`. Everything the run needs except the base`,
    'model: the frozen dataset version, the resolved config, the trainer and its pinned requirements.',
    '',
    '| Path | What |',
    '| --- | --- |',
    `| \`${m.datasetFile}\` | the frozen dataset version (sha256 \`${m.datasetSha256}\`) |`,
    `| \`run/\` | the run folder: \`config.json\`, \`train.jsonl\` (${m.trainRows} rows), \`val.jsonl\` (${m.valRows} rows); the trainer writes \`events.jsonl\`, \`checkpoints/\` and \`adapter/\` here |`,
    '| `trainer/lora_trainer/` | the trainer (`python -m lora_trainer train --run-dir run`) |',
    '| `requirements.txt` | pinned to the versions this job was set up with |',
    '| `launch/` | launchers; `common.sh` is shared by all of them |',
    '| `manifest.json` | where this came from (job, dataset version, versions) |',
    '',
    '## Before you start',
    '',
    '```sh',
    'python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt',
    '```',
    '',
    `The base model must be a local folder on the cluster. \`run/config.json\` holds the path it had`,
    `where the job was exported (\`${m.baseModelPath}\`); set \`BASE_MODEL=/path/on/cluster\` when launching`,
    'and the launcher rewrites it. `PYTHON=...` picks the interpreter (default `python3`).',
    'With several nodes, the bundle folder must be on a file system every node sees: only rank 0',
    'writes events, checkpoints and the adapter, and resuming needs them.',
  ];
  if (has('torchrun')) {
    sections.push(
      '',
      '## torchrun',
      '',
      '```sh',
      `bash launch/torchrun.sh                                  # one node, ${gpusPerNode} process(es)`,
      'NPROC_PER_NODE=4 bash launch/torchrun.sh',
      '# several nodes: on every node (same command), the endpoint is a host:port all can reach',
      'NNODES=2 NPROC_PER_NODE=8 RDZV_ENDPOINT=node0:29500 bash launch/torchrun.sh',
      '```',
    );
  }
  if (has('accelerate')) {
    sections.push(
      '',
      '## accelerate',
      '',
      '```sh',
      'bash launch/accelerate.sh                                # uses launch/accelerate-config.yaml',
      'NNODES=2 NODE_RANK=0 MAIN_ADDR=node0 bash launch/accelerate.sh   # then NODE_RANK=1 on node1',
      '```',
    );
  }
  if (has('slurm')) {
    sections.push(
      '',
      '## Slurm',
      '',
      `\`launch/slurm.sbatch\` asks for ${nodes} node(s) × ${gpusPerNode} GPU(s) for ${time}${partition ? ` on partition ${partition}` : ''};`,
      'each node runs one `torchrun` (via `srun`), meeting at node 0 ($SLURM_LAUNCH_NODE_IPADDR).',
      '',
      '```sh',
      'cd THIS_FOLDER && sbatch launch/slurm.sbatch',
      'sbatch --nodes=2 --gpus-per-node=4 --time=12:00:00 --partition=gpu launch/slurm.sbatch',
      '```',
    );
  }
  if (has('skypilot')) {
    sections.push(
      '',
      '## SkyPilot',
      '',
      'Edit `accelerators:` in `launch/skypilot.yaml` to a GPU your cloud offers, then:',
      '',
      '```sh',
      'sky launch -c lora launch/skypilot.yaml',
      'sky rsync-down lora ~/sky_workdir/run ./run   # bring the run folder back',
      '```',
    );
  }
  sections.push(
    '',
    '## Bring it back',
    '',
    'Copy `run/` (or this whole folder) back to the machine with LoRA Studio and run',
    '`lora-studio jobs import-run PATH`: the run becomes a job with its metrics, adapter and cost.',
    '',
  );
  return sections.join('\n');
}
