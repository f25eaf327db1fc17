/*
 * The benchmark's no-op milter, in C on libmilter as most production filters are (OpenDKIM, spamass-milter,
 * clamav-milter): takes CONNECT without answering it, asks for no other step before end of message, accepts there.
 *
 * Usage: noop_milter unix:/path.sock [continue|accept]. "continue" (the default) ends the message with SMFIS_CONTINUE,
 * after which libmilter lets the MTA start the next session on the same connection (MailIngest pools it); "accept"
 * ends it with SMFIS_ACCEPT, after which libmilter ignores SMFIC_QUIT_NC, so MailIngest opens a connection per
 * transaction. bench/run.sh builds it: cc -O2 -o noop_milter noop_milter.c -lmilter -lpthread
 */
#include <libmilter/mfapi.h>
#include <stdio.h>
#include <string.h>

static sfsistat verdict = SMFIS_CONTINUE;

/* Skip every step the MTA lets us skip, and do not answer CONNECT. */
static sfsistat noop_negotiate(SMFICTX *ctx, unsigned long actions, unsigned long steps, unsigned long unused2,
                               unsigned long unused3, unsigned long *wanted_actions, unsigned long *wanted_steps,
                               unsigned long *wanted2, unsigned long *wanted3)
{
    (void)ctx; (void)actions; (void)unused2; (void)unused3;
    *wanted_actions = 0;
    *wanted_steps = steps & (SMFIP_NOHELO | SMFIP_NOMAIL | SMFIP_NORCPT | SMFIP_NOBODY | SMFIP_NOHDRS | SMFIP_NOEOH
                             | SMFIP_NOUNKNOWN | SMFIP_NODATA | SMFIP_NR_CONN);
    *wanted2 = 0;
    *wanted3 = 0;
    return SMFIS_CONTINUE;
}

static sfsistat noop_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *address)
{
    (void)ctx; (void)host; (void)address;
    return SMFIS_NOREPLY;
}

static sfsistat noop_eom(SMFICTX *ctx)
{
    (void)ctx;
    return verdict;
}

int main(int argc, char **argv)
{
    struct smfiDesc filter = {
        .xxfi_name = "noop",
        .xxfi_version = SMFI_VERSION,
        .xxfi_flags = 0,
        .xxfi_connect = noop_connect,
        .xxfi_eom = noop_eom,
        .xxfi_negotiate = noop_negotiate,
    };
    if (argc < 2) {
        fprintf(stderr, "usage: %s unix:/path.sock [continue|accept]\n", argv[0]);
        return 2;
    }
    if (argc > 2 && strcmp(argv[2], "accept") == 0) verdict = SMFIS_ACCEPT;
    if (smfi_setconn(argv[1]) == MI_FAILURE || smfi_register(filter) == MI_FAILURE) {
        fprintf(stderr, "cannot listen on %s\n", argv[1]);
        return 1;
    }
    return smfi_main() == MI_SUCCESS ? 0 : 1;
}
