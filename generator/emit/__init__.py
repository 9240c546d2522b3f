"""The emit stage: records and the link graph become output files (pure; writes nothing)."""
