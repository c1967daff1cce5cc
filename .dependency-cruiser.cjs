/** Dependency direction of DESIGN.md: engine imports only domain; nothing imports apps; no cycles. */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles make the layering meaningless.',
      from: {}, to: { circular: true } },
    { name: 'domain-is-a-leaf', severity: 'error', comment: 'domain imports no other Matchbox package.',
      from: { path: '^packages/domain/src' },
      to: { path: '^(packages/(?!domain/)|apps/)' } },
    { name: 'engine-imports-only-domain', severity: 'error',
      comment: 'The engine is a pure library: it may import only @matchbox/domain (and itself).',
      from: { path: '^packages/engine/src' },
      to: { path: '^(packages/(?!(engine|domain)/)|apps/)' } },
    { name: 'engine-no-npm-or-node', severity: 'error',
      comment: 'The engine has no I/O and no third-party runtime dependencies.',
      from: { path: '^packages/engine/src', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'core'] } },
    { name: 'nothing-imports-apps', severity: 'error',
      from: { pathNot: '^apps/' }, to: { path: '^apps/' } },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
