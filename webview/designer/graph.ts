/** The designer's key for an edge (selection, routed points); the graph itself is core's `ModelGraph`. */
export const edgeKey = (from: string, to: string): string => `${from}\u2192${to}`;
