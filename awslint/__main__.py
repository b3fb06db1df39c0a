"""`python -m awslint PATH...` runs the `awslint` command."""
from __future__ import annotations

import sys

from awslint.cli import main

sys.exit(main())
