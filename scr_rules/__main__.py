"""``python -m scr_rules`` runs the ``scr`` command line."""

from scr_rules.cli import main

main()
