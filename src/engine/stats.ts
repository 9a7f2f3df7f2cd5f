// Counters the engine keeps for INFO stats and the metrics endpoint.

export class EngineStats {
  keyspaceHits = 0;
  keyspaceMisses = 0;
  expiredKeys = 0;
  evictedKeys = 0;

  reset(): void {
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.expiredKeys = 0;
    this.evictedKeys = 0;
  }
}
