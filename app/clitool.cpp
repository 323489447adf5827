// CliTool: structdesk-cli's usage text and its entry point. The commands and what they share
// are in app/cli/ (session.h says which file holds which).
#include "app/clitool.h"

#include "app/cli/session.h"

QString CliTool::usageText()
{
    return QStringLiteral(
        "usage: structdesk-cli [--store LOCATION] COMMAND ...\n"
        "  LOCATION: a store file, or dynamodb://HOST:PORT?region=R, dynamodbs://HOST?region=R,\n"
        "  dynamodb://aws?region=R&profile=P (default $STRUCTDESK_STORE, else the user's default "
        "store)\n"
        "  [--connect-timeout S] [--read-timeout S] [--deadline S]: DynamoDB waits in seconds (or\n"
        "  the location parameters connect_timeout, read_timeout, deadline; also max_attempts):\n"
        "  to connect, per attempt (default 10); the longest silence of an answer (30; 0 for\n"
        "  either: none but the deadline); a whole call with its retries (60).\n"
        "\n"
        "  tables | create-table TABLE --model FILE | model TABLE | drop-table TABLE\n"
        "  set-model TABLE --model FILE (attach a model to an existing table)\n"
        "  put TABLE JSON | get TABLE KEY | delete TABLE KEY | remove TABLE KEY\n"
        "  update TABLE KEY PATH VALUE_JSON [--var NAME=VALUE]... [--return-old]\n"
        "  update-many TABLE KEY JSON_OBJECT_OF_PATH_TO_VALUE [--var NAME=VALUE]... "
        "[--return-old]\n"
        "  delete-field TABLE KEY PATH [--var ...] | remove-field TABLE KEY PATH [--var ...]\n"
        "  scan TABLE [--limit N] [--where PATH=VALUE]... (JSON lines) | count TABLE [--where "
        "PATH=VALUE]...\n"
        "  query TABLE KEY [--index NAME] [--limit N] [--where PATH=VALUE]... (JSON lines; KEY "
        "equals\n"
        "        the table's key, or with --index the index's hash key)\n"
        "  rekey TABLE OLD_KEY NEW_KEY [--strategy remove-put-restore|get-put-delete|atomic]\n"
        "  journal [list|restore ID [--to old|new|FILE]]\n"
        "  import TABLE FILE [--format jsonl|json|dynamodb-json|csv] [--mode "
        "all-or-nothing|skip-invalid]\n"
        "         [--existing refuse|skip|replace] [--rejects FILE] [--written-keys FILE]\n"
        "  export TABLE [--format jsonl|json|dynamodb-json|csv] [--where PATH=VALUE]... [--out "
        "FILE]\n"
        "  infer-model TABLE|--file FILE [--format ...] [--out FILE]\n"
        "  import-python-model FILE [--table-class NAME] [--out FILE]\n"
        "  check TABLE [--where PATH=VALUE]...\n"
        "\n"
        "  JSON arguments may be - (standard input) or @FILE. KEY is typed by the table's key "
        "type.\n"
        "  Exit status: 0 success; 1 the operation's documented failure (refused, invalid, "
        "exists,\n"
        "  absent); 2 usage error; 3 store unavailable or backend error; 4 done, but unreadable\n"
        "  stored records (scan, query, export, check) or journal files (journal list) were\n"
        "  skipped, each named on stderr with its key and row, or its file and why.\n"
        "  get, update and remove of an unreadable record: 3, naming it; delete discards it.\n"
        "  A damaged store file (cut short, or found corrupt) opens read-only: writes exit 3.\n"
        "  rekey: 0 the key changed; 1 refused or failed with the record back at its old key;\n"
        "  3 the record is only in the recovery journal ($STRUCTDESK_JOURNAL to move it).\n"
        "  import: the format is guessed from the file (extension, first line) unless given;\n"
        "  1 when a record fails or the file is malformed, every problem on stderr as FILE:LINE:\n"
        "  PATH: MESSAGE (all-or-nothing writes nothing then; skip-invalid writes the valid "
        "records\n"
        "  and saves the others to --rejects, default NAME.rejects.EXT next to FILE). On DynamoDB "
        "an\n"
        "  import is written in batches, not as one transaction: when the store fails part-way, "
        "the\n"
        "  keys written are saved to --written-keys, default NAME.written-keys.jsonl next to FILE\n"
        "  (said on stderr), and the exit status is that of the failure.\n"
        "  check: 1 when a record fails its model, one line per record (key: path: problem) on "
        "stderr;\n"
        "  4 when some cannot be read at all (listed too, as key: unreadable (row N): why).\n"
        "  journal list: the readable entries on stdout, each unreadable file on stderr (4);\n"
        "  journal restore of an unreadable entry: 1, naming its file. Journal files are never\n"
        "  changed or deleted because they cannot be read.\n");
}

int CliTool::run(const QStringList &arguments)
{
    cli::Session session(m_out, m_err, m_in);
    return session.run(arguments);
}
