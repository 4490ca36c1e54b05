#!/bin/sh
# System services and packages the tests use: PostgreSQL (running on 127.0.0.1:5432) and Java 17
# for Spark. Installs what is missing with apt-get when run as root; otherwise says what to do.
set -u

if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        version=$(ls /etc/postgresql 2>/dev/null | head -n 1)
        [ -n "$version" ] && pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    fi
fi
pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1 || echo "warning: PostgreSQL is not answering on 127.0.0.1:5432; the PostgreSQL tests will fail"

command -v java >/dev/null 2>&1 || echo "warning: java not found; install a Java 17 runtime for the Spark tests"
sh "$(dirname "$0")/install-chromium.sh" || echo "warning: could not install chromium; the browser tests will fail"
exit 0
