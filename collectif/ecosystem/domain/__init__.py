"""Rules of the ecosystem map that every channel shares (web, API, CLI, tasks)."""
