#!/usr/bin/python3
"""A real libmilter filter (through pymilter) whose verdict each message chooses for itself.

One process serves a whole test class: the header X-Test-Action picks what happens at end-of-message and the
optional X-Test-Arg gives it an argument, so tests need not start a milter per behaviour. Recipients whose local
part starts with "blocked" are refused at RCPT. Usage: test_milter.py unix:/path.sock | inet:PORT@127.0.0.1

Actions: accept (also when absent), continue (accepts with CONTINUE, the answer after which libmilter lets the MTA
start a new session on the connection), addheader, reject, reject-plain, tempfail, discard, quarantine, addrcpt,
delrcpt, chgfrom. Prints one line per message (flushed at once: the harness reads stdout through a pipe).
"""

import sys

import Milter

# Only the actions the filter uses: a client that checks the negotiated mask must see that no body replacement
# is asked for.
WANTED_ACTIONS = (Milter.ADDHDRS | Milter.CHGHDRS | Milter.ADDRCPT | Milter.DELRCPT | Milter.CHGFROM
                  | Milter.QUARANTINE)


def log(line):
    print(line, flush=True)


class TestMilter(Milter.Base):
    """One SMTP connection; per-message state is reset at MAIL and after each verdict."""

    def __init__(self):
        self.client = ""
        self.reset()

    def reset(self):
        self.sender = None
        self.recipients = []
        self.action = "accept"
        self.arg = None
        self.subject = None

    def negotiate(self, opts):
        # pymilter's default keeps every action the MTA offers, CHGBODY among them; libmilter then announces
        # exactly this mask in its SMFIC_OPTNEG reply.
        result = super().negotiate(opts)
        opts[0] = self._actions = opts[0] & WANTED_ACTIONS
        return result

    def connect(self, hostname, family, hostaddr):
        self.client = f"{hostname} {hostaddr}"
        log(f"connect client={self.client}")
        return Milter.CONTINUE

    def hello(self, hostname):
        return Milter.CONTINUE

    def envfrom(self, sender, *params):
        self.reset()
        self.sender = sender
        return Milter.CONTINUE

    def envrcpt(self, recipient, *params):
        local = recipient.strip("<>").split("@", 1)[0]
        if local.lower().startswith("blocked"):
            self.setreply("550", "5.7.1", "Recipient refused by test milter")
            log(f"rcpt-reject from={self.sender} rcpt={recipient}")
            return Milter.REJECT
        self.recipients.append(recipient)
        return Milter.CONTINUE

    def data(self):
        return Milter.CONTINUE

    def header(self, name, value):
        lower = name.lower()
        if lower == "x-test-action":
            self.action = value.strip().lower()
        elif lower == "x-test-arg":
            self.arg = value.strip()
        elif lower == "subject" and self.subject is None:
            self.subject = value
        return Milter.CONTINUE

    def eoh(self):
        return Milter.CONTINUE

    def body(self, chunk):
        return Milter.CONTINUE

    def eom(self):
        action = self.action
        try:
            verdict = self.act(action)
        except Exception as error:  # a test asked for something the MTA did not allow: say so, then fail the message
            log(f"error action={action} {type(error).__name__}: {error}")
            verdict = Milter.TEMPFAIL
        log(f"eom action={action} arg={self.arg} from={self.sender} rcpt={','.join(self.recipients)} client={self.client}")
        self.reset()
        return verdict

    def act(self, action):
        if action in ("", "accept"):
            return Milter.ACCEPT
        if action == "continue":
            return Milter.CONTINUE
        if action == "addheader":
            self.addheader("X-Test-Milter", "seen")
            # An index makes libmilter send SMFIR_INSHEADER rather than SMFIR_ADDHEADER.
            self.addheader("X-Inserted", "first", 1)
            if self.subject is not None:
                self.chgheader("Subject", 1, "[filtered] " + self.subject.strip())
            if self.arg:
                # A missing value is libmilter's way of deleting the header.
                self.chgheader(self.arg, 1, None)
            return Milter.ACCEPT
        if action == "reject":
            self.setreply("550", "5.7.1", "Rejected by test milter")
            return Milter.REJECT
        if action == "reject-plain":
            return Milter.REJECT
        if action == "tempfail":
            return Milter.TEMPFAIL
        if action == "discard":
            return Milter.DISCARD
        if action == "quarantine":
            self.quarantine("test quarantine")
            return Milter.ACCEPT
        if action == "addrcpt":
            self.addrcpt("<" + (self.arg or "") + ">")
            return Milter.ACCEPT
        if action == "delrcpt":
            self.delrcpt("<" + (self.arg or "") + ">")
            return Milter.ACCEPT
        if action == "chgfrom":
            self.chgfrom("<" + (self.arg or "") + ">")
            return Milter.ACCEPT
        raise ValueError("unknown X-Test-Action " + action)

    def abort(self):
        self.reset()
        return Milter.CONTINUE

    def close(self):
        return Milter.CONTINUE


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_milter.py unix:/path.sock | inet:PORT@127.0.0.1")
    Milter.factory = TestMilter
    Milter.set_flags(WANTED_ACTIONS)
    log(f"test_milter listening on {sys.argv[1]}")
    Milter.runmilter("test_milter", sys.argv[1], timeout=600)


if __name__ == "__main__":
    main()
