"""`python -m bot`: serve Telegram like `newsbrief run`; with arguments, any `newsbrief` subcommand."""
import sys

from .cli import main

if __name__ == "__main__":
    main(args=sys.argv[1:] or ["run"], prog_name="python -m bot")
