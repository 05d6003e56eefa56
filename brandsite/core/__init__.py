"""Stage-independent machinery every stage may use: findings, script folding, worker pools, the render cache, build options."""
