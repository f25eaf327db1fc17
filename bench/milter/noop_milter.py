#!/usr/bin/python3
"""The benchmark's no-op milter (pymilter on libmilter): accepts every message at end of message and asks for no
other step, as a filter that only looks at the finished message would. Usage: noop_milter.py unix:/path.sock"""

import sys

import Milter


class NoOp(Milter.Base):
    def eom(self):
        return Milter.ACCEPT


Milter.factory = NoOp
Milter.set_flags(0)
Milter.runmilter("noop", sys.argv[1], timeout=600)
