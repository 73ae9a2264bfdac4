import os
import sys

from pipeline.core.allocator import configure_allocator

configure_allocator()  # before torch is imported (below, by the CLI); spawned workers run it too

from pipeline.cli import main  # noqa: E402

# The guard matters: the train stage's worker processes are spawned, and a spawned child imports
# this module again (as __mp_main__); without it each worker would run the CLI.
if __name__ == "__main__":
    code = main()
    if code == 130:
        # Interrupted: leave without the interpreter's shutdown. After a handled Ctrl-C in the train
        # stage, about one exit in fifteen came out as death by SIGINT (-2) instead of 130 somewhere
        # in that shutdown (cause not found); everything worth keeping is already on disk or removed.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
