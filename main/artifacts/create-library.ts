/**
 * Builds what a run leaves behind — the model library, energy and cost, notifications — on the
 * core's database and events, and hands back the services (the core turns them into API handlers)
 * and the hooks the training service and the queue call.
 */
import type { Db, SqliteDatabase } from '../../db/open';
import { DatasetsRepository } from '../../db/repositories/datasets-repository';
import { MetricsRepository } from '../../db/repositories/metrics-repository';
import { NotificationsRepository } from '../../db/repositories/notifications-repository';
import type { ChannelInput, GpuStatus, Settings } from '../../preload/contract';
import { CostService } from '../costs/cost-service';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';
import { budgetNotification, createJobEndFollowUp, importNotification } from '../notify/after-run';
import { Notifier } from '../notify/notifier';
import type { TaskRegistry } from '../tasks/task-registry';
import { resolvePython } from '../telemetry/resolve-python';
import type { JobEnd } from '../training/job-outcome';
import { trainerCommandFrom } from '../training/trainer-command';
import { ArtifactLibrary } from './artifact-library';
import { runGenerateSession } from './generate-session';
import { exportGguf, ggufStatus } from './gguf-export';
import { mergeAdapter } from './merge-task';

/** How often open cost records of running jobs are brought up to date (and the budget checked). */
const COST_TICK_MS = 30_000;

export interface LibraryDeps {
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly dataDir: string;
  readonly events: EventBus;
  readonly settings: () => Readonly<Settings>;
  readonly gpuStatus: () => GpuStatus;
  readonly now: () => number;
  /** Only the primary records costs on a timer and raises notifications for tasks. */
  readonly isPrimary: boolean;
  readonly tasks: TaskRegistry;
  /** Environment of the trainer processes (merge). */
  readonly env: NodeJS.ProcessEnv;
  /** The bundled `lora_trainer` package folder. */
  readonly trainerDir: string;
}

/** The library, costs and notifications, wired. */
export function createLibrary(deps: LibraryDeps) {
  const notifications = new NotificationsRepository(deps.db, deps.now);
  const notifier = new Notifier({
    repo: notifications,
    events: deps.events,
    settings: deps.settings,
    now: deps.now,
  });
  const gpu = (index: number) => deps.gpuStatus().gpus.find((g) => g.index === index) ?? null;
  const costs = new CostService({
    db: deps.db,
    sqlite: deps.sqlite,
    settings: deps.settings,
    now: deps.now,
    gpuName: (i) => gpu(i)?.name ?? null,
    gpuPowerLimitW: (i) => gpu(i)?.powerLimitW ?? null,
    onBudgetThreshold: (threshold, status) => notifier.notify(budgetNotification(threshold, status)),
  });
  const library = new ArtifactLibrary({
    db: deps.db,
    sqlite: deps.sqlite,
    dataDir: deps.dataDir,
    now: deps.now,
    onExported: (artifact, what) =>
      notifier.notify({
        kind: 'model.exported',
        eventKey: `export:${artifact.id}:${deps.now()}`,
        title: `Exported: ${artifact.name}`,
        body: what,
        jobId: artifact.jobId,
      }),
  });
  const trainerCommand = trainerCommandFrom(deps);
  const merge = (id: string, dtype: 'bf16' | 'fp16' | 'fp32'): string => {
    const source = library.row(id);
    if (source.kind !== 'adapter')
      throw new AppError('BAD_INPUT', `Only adapters merge; this is a ${source.kind}.`);
    return deps.tasks.start('models.merge', async (reporter) => {
      const merged = await mergeAdapter({ ...deps, trainerCommand }, source, dtype, reporter);
      deps.events.emit('changed', { entity: 'models', id: merged.id });
      notifier.notify({
        kind: 'model.merged',
        eventKey: `merge:${merged.id}`,
        title: `Merged: ${source.name}`,
        body: `A full ${dtype} model in ${library.view(merged).path}`,
        jobId: merged.jobId,
      });
      return merged.id;
    });
  };
  const followUp = createJobEndFollowUp({
    costs,
    notifier,
    metrics: new MetricsRepository(deps.db, deps.sqlite, deps.now),
  });
  const generate = (input: ChannelInput<'models.generate'>): string => {
    const artifact = library.row(input.id);
    if (artifact.kind !== 'adapter' && artifact.kind !== 'merged') {
      throw new AppError(
        'BAD_INPUT',
        `A ${artifact.kind} cannot generate; try an adapter or a merged model.`,
      );
    }
    let sessionId = '';
    sessionId = deps.tasks.start('models.generate', (reporter) =>
      runGenerateSession(
        {
          dataDir: deps.dataDir,
          env: deps.env,
          trainerCommand,
          emit: (p) => deps.events.emit('generate', p),
        },
        artifact,
        {
          prompt: input.prompt,
          system: input.system,
          maxTokens: input.maxTokens ?? 128,
          temperature: input.temperature ?? 0.7,
          stop: input.stop ?? [],
          sides: input.sides ?? ['base', 'adapter'],
        },
        () => sessionId,
        reporter,
      ),
    );
    return sessionId;
  };
  const gguf = {
    ggufStatus: () => ggufStatus(deps.settings()['llamacpp.path']),
    exportGguf: async (id: string, outType: 'f32' | 'f16' | 'bf16' | 'q8_0'): Promise<string> => {
      const source = library.row(id);
      const status = await ggufStatus(deps.settings()['llamacpp.path']);
      if (!status.available || status.path === null)
        throw new AppError('UNAVAILABLE', status.problem ?? 'GGUF export is not set up.');
      const checkout = status.path;
      return deps.tasks.start('models.exportGguf', async (reporter) => {
        const python = async () =>
          (await resolvePython({ env: deps.env, setting: deps.settings()['python.path'] })).path ?? 'python3';
        const made = await exportGguf({ ...deps, python }, checkout, source, outType, reporter);
        deps.events.emit('changed', { entity: 'models', id: made.id });
        const view = library.view(made);
        notifier.notify({
          kind: 'model.exported',
          eventKey: `export:${made.id}`,
          title: `Exported: ${source.name}`,
          body: `GGUF LoRA (${outType}) ${view.path}`,
          jobId: made.jobId,
        });
        return made.id;
      });
    },
  };
  const onJobFinished = (end: JobEnd): void => {
    followUp(end);
    deps.events.emit('changed', { entity: 'costs', id: end.job.id });
  };

  const datasets = new DatasetsRepository(deps.db, deps.now);
  const unsubscribe = deps.events.subscribe((event) => {
    if (!deps.isPrimary || event.name !== 'task') return;
    const { kind, state, resultId, taskId } = event.payload;
    if (kind === 'datasets.import' && state === 'completed' && resultId) {
      notifier.notify(importNotification(taskId, resultId, datasets.get(resultId)?.name ?? null));
    }
  });
  const timer = deps.isPrimary
    ? setInterval(() => {
        try {
          if (costs.tick() > 0) deps.events.emit('changed', { entity: 'costs', id: null });
        } catch (error) {
          console.error('updating running costs failed:', error);
        }
      }, COST_TICK_MS)
    : null;
  timer?.unref();

  return {
    /** What the model library's channels need. */
    artifacts: { library, merge, generate, ...gguf },
    costs,
    notifications,
    onJobFinished,
    queueHoldReason: () => costs.budget().holdReason,
    close() {
      unsubscribe();
      if (timer) clearInterval(timer);
    },
  };
}
