"""The command line: argument parsing and exit codes (:mod:`groupfinder.cli.main`), the kiosk
commands (:mod:`groupfinder.cli.kiosk`) and the web server (:mod:`groupfinder.cli.serve`)."""
