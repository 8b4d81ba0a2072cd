"""Tests that need what a test transaction hides: real concurrent transactions and real
worker processes. They commit, and the flush after each one empties every table,
reference data included, so they run apart from the app suites (`make pytest` runs
`tests/` after `collectif/`), beside the browser tests, which commit too; each refills
the reference tables it needs first."""
