"""``python -m facilitator``."""

from facilitator.cli import main

raise SystemExit(main())
