#!/usr/bin/python3
"""The benchmark's no-op milter (pymilter on libmilter): takes CONNECT without answering it (as a filter that notes
the client's address would) and accepts every message at end of message, asking for no other step.

Usage: noop_milter.py unix:/path.sock [continue|accept]. "continue" (the default) answers SMFIS_CONTINUE, after which
libmilter lets the MTA start the next session on the same connection (MailIngest pools it); "accept" answers
SMFIS_ACCEPT, after which libmilter ignores SMFIC_QUIT_NC, so MailIngest opens a connection per message."""

import sys

import Milter

VERDICT = Milter.ACCEPT if len(sys.argv) > 2 and sys.argv[2] == "accept" else Milter.CONTINUE


class NoOp(Milter.Base):
    @Milter.noreply
    def connect(self, hostname, family, hostaddr):
        return Milter.CONTINUE

    def eom(self):
        return VERDICT


Milter.factory = NoOp
Milter.set_flags(0)
Milter.runmilter("noop", sys.argv[1], timeout=600)
