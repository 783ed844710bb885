import type { Dim } from '../../onnx/model';
import { useCaseInputSizes } from '../../graphview/useCaseSizes';
import { ensureHostCalibration } from '../calibrate/ensureCalibration';
import { runProfile, type ProfileDeps, type ProfileRequest } from '../profileRun';
import type { ProfileResult } from '../result';
import { measuredProfile } from './measuredProfile';
import { UnsupportedInputError } from './inputTensors';
import { MeasureError, measureModel } from './measureModel';

const hostCpu = 'host-cpu';

/**
 * `aios profile` with host-cpu calibrated by measurement and, with `measure`, the model run on
 * this host: the estimate (runProfile), then onnxruntime-node's timings and per-node profile
 * beside the host-cpu estimate. host-cpu's figures are measured once per machine and cached
 * (calibrate/); a model onnxruntime cannot run keeps its estimate and gets `measureError`.
 */
export async function profileWithMeasurement(request: ProfileRequest & { readonly measure?: boolean }, deps: ProfileDeps): Promise<ProfileResult> {
  const { measure, ...estimateRequest } = request;
  const calibrated = async () => (deps.host.calibration ? deps : { ...deps, host: await ensureHostCalibration(deps.host, { ...(deps.signal ? { signal: deps.signal } : {}), progress: (benchmark, fraction) => deps.progress?.({ stage: 'calibrate host-cpu', fraction, message: benchmark }) }) });
  let withHost = deps;
  const wantsHost = measure === true || (request.ecu === undefined && !/\.usecase\.ya?ml$/.test(request.input) && (request.targets?.length ? request.targets.includes(hostCpu) : true));
  if (wantsHost) withHost = await calibrated();
  let result = await runProfile(estimateRequest, withHost);
  if (!withHost.host.calibration && result.results.some((r) => r.target === hostCpu)) {
    // A use case listing host-cpu: known only once it is read.
    withHost = await calibrated();
    result = await runProfile(estimateRequest, withHost);
  }
  if (!measure) return result;
  const model = result.model;
  if (!model) return { ...result, measureError: '--measure needs one model: it is not available with --ecu' };
  const declared = result.useCase ? (await useCaseInputSizes(deps.fs, model, [result.useCase], deps.signal))?.sizes : undefined;
  const given: Record<string, Array<Dim | null>> = { ...(declared ?? {}), ...Object.fromEntries(Object.entries(request.inputShapes ?? {}).map(([k, v]) => [k, [...v]])) };
  // The model is measured as stored (no quantization): compare with host-cpu's estimate at the model's own precision.
  const plain = result.results.find((r) => r.target === hostCpu && !r.useCase && result.useCase === undefined && request.precision === undefined);
  const hostEstimate =
    plain ?? (await runProfile({ input: model, targets: [hostCpu], inputShapes: Object.fromEntries(Object.entries(given).map(([k, v]) => [k, v.map((d) => d ?? undefined)])) }, withHost)).results[0];
  try {
    deps.progress?.({ stage: 'measure', message: model });
    const m = await measureModel(model, {
      given,
      ...(deps.signal ? { signal: deps.signal } : {}),
      progress: (stage, fraction) => deps.progress?.({ stage: `measure: ${stage}`, fraction }),
    });
    return { ...result, measured: measuredProfile(m, hostEstimate) };
  } catch (e) {
    deps.signal?.throwIfAborted();
    if (e instanceof MeasureError || e instanceof UnsupportedInputError) return { ...result, measureError: e.message };
    throw e;
  }
}
