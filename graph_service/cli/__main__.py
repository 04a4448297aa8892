"""`python -m graph_service.cli`: the same command as `graph-service`."""

from graph_service.cli import main

raise SystemExit(main())
