import { FixpathError } from '../errors.ts';
import { type CheckedFlow, readFlow } from '../flow/read-flow.ts';
import { type CompiledFlow, compileFlow } from '../machine/compile-flow.ts';
import type { FlowVersionStore } from '../stores/conversation-store.ts';

/**
 * The guides this process serves, compiled once. Conversations find their guide by content hash, so
 * one that began before a guide changed finishes on the version it began with: older versions come
 * back from the version store and are compiled on first use.
 */
export class FlowRegistry {
  readonly #current = new Map<string, CompiledFlow>();
  readonly #byHash = new Map<string, CompiledFlow>();
  readonly #sources: CheckedFlow[];
  readonly #versions: FlowVersionStore | undefined;

  constructor(flows: readonly CheckedFlow[], versions?: FlowVersionStore) {
    this.#sources = [...flows];
    this.#versions = versions;
    for (const flow of flows) {
      const compiled = compileFlow(flow);
      this.#current.set(flow.definition.id, compiled);
      this.#byHash.set(flow.hash, compiled);
    }
  }

  /** Records every current version in the version store; call once at start-up. */
  async remember(): Promise<void> {
    if (!this.#versions) return;
    for (const flow of this.#sources) {
      await this.#versions.saveFlowVersion(flow.hash, {
        flowId: flow.definition.id,
        source: flow.source,
        file: flow.file,
      });
    }
  }

  list(): CompiledFlow[] {
    return [...this.#current.values()];
  }

  find(flowId: string): CompiledFlow | undefined {
    return this.#current.get(flowId);
  }

  current(flowId: string): CompiledFlow {
    const flow = this.#current.get(flowId);
    if (!flow) {
      const known = [...this.#current.keys()].join(', ') || 'none';
      throw new FixpathError('flow_not_found', `no guide has the id "${flowId}" (guides: ${known})`);
    }
    return flow;
  }

  async byHash(hash: string): Promise<CompiledFlow> {
    const cached = this.#byHash.get(hash);
    if (cached) return cached;
    const stored = await this.#versions?.loadFlowVersion(hash);
    if (!stored)
      throw new FixpathError('flow_version_missing', `guide version ${hash} is not known any more`);
    const result = readFlow(stored.source, stored.file);
    if (!result.ok) {
      throw new FixpathError(
        'flow_version_missing',
        `stored guide version ${hash} no longer passes the checks`,
        {
          cause: result.issues,
        },
      );
    }
    const compiled = compileFlow({ definition: result.flow.definition, hash });
    this.#byHash.set(hash, compiled);
    return compiled;
  }
}
