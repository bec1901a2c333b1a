"""``python -m benchmark.cli``: the command line."""

from benchmark.cli import main

main()
