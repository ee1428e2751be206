"""Performance benchmarks: the figures `station bench` prints, one module per area.

"bench" elsewhere in Station is a workstation (the pack bench, the receive bench); here it
is only ever a benchmark. Nothing in the product imports this package except the CLI's
`station bench`; its synthetic data (scan mixes, order files, waybills) lives here too, not
beside the domain code it measures.
"""
