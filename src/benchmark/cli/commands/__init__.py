"""One module a command, each registering itself on the application (as pre-commit's
``commands`` package holds one module a command)."""
