"""``python -m councils``: see councils/cli.py."""

from councils.cli import main

raise SystemExit(main())
