#!/usr/bin/env bash
# The HTML and PDF report in a real browser, for each kind of report (run, compare, sweep,
# staff, calibrate, fit): Debian's chromium opens report.html headless with the network off; the
# page must load with no console errors, every chart must be present with a non-zero size, a
# screenshot is kept; in the browser, no two text boxes of a chart overlap or leave it and no two
# blocks of the page overlap or leave it, at a screen's width and at the printed page's
# (layout.js); report.pdf must be a PDF with the expected pages and text (pdftotext), holding
# every heading of the page and every row's verdict. A missing browser fails the test: it is
# never skipped.
#   bash .ci/report/test.sh      (expects target/release/pledgesim; installs chromium and
#                                 poppler-utils with apt when they are missing and it is root)
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${PLEDGESIM:-target/release/pledgesim}
ART=${REPORT_ARTEFACTS:-target/report-test}
passed=0 failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAILED: $*" >&2; failed=$((failed + 1)); }
finish() { echo "report: $passed passed, $failed failed"; [ "$failed" = 0 ]; exit $?; }

browser=""
for b in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$b" >/dev/null 2>&1 && { browser=$(command -v "$b"); break; }
done
if [ -z "$browser" ] || ! command -v pdftotext >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing chromium and poppler-utils"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium poppler-utils >/dev/null
        browser=$(command -v chromium || true)
    fi
fi
[ -n "$browser" ] || { fail "no Chromium or Chrome: install Debian's package chromium"; finish; }
command -v pdftotext >/dev/null 2>&1 || { fail "no pdftotext: install Debian's package poppler-utils"; finish; }
[ -x "$BIN" ] || { fail "no $BIN: build it with cargo build --release"; finish; }

rm -rf "$ART"; mkdir -p "$ART"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
profile="$work/profile"
headless() {
    "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
        --host-resolver-rules="MAP * ~NOTFOUND" --proxy-server="127.0.0.1:9" \
        --enable-logging=stderr --v=0 "$@"
}

check_report() { # kind dir min-pages expected-text...
    local kind=$1 dir=$2 minpages=$3; shift 3
    local html="$dir/report.html"
    [ -s "$html" ] || { fail "$kind: no report.html"; return; }
    if grep -Eq '(src|href)="https?://' "$html"; then
        fail "$kind: the report loads something from the network"
    fi
    headless --virtual-time-budget=5000 --dump-dom "file://$(realpath "$html")" >"$work/$kind.dom" 2>"$work/$kind.log"
    if grep -E 'CONSOLE|Uncaught|ERR_' "$work/$kind.log" | grep -qiE 'error|uncaught|ERR_'; then
        fail "$kind: console errors:"; grep -E 'CONSOLE|Uncaught|ERR_' "$work/$kind.log" >&2
    else
        ok "$kind: loads with no console errors"
    fi
    local expected found zero
    expected=$(grep -o 'data-chart="[^"]*"' "$html" | wc -l)
    found=$(grep -o '<body[^>]*data-charts="[0-9]*"' "$work/$kind.dom" | grep -o '[0-9]*"$' | tr -d '"')
    zero=$(grep -o '<figure[^>]*>' "$work/$kind.dom" | grep -c 'data-width="0"\|data-height="0"')
    sized=$(grep -o '<figure[^>]*>' "$work/$kind.dom" | grep -c 'data-width="[1-9]')
    if [ "$expected" -gt 0 ] && [ "$found" = "$expected" ] && [ "$zero" = 0 ] && [ "$sized" = "$expected" ]; then
        ok "$kind: all $expected charts present with a non-zero size"
    elif [ "$kind" = staff ] && [ "$expected" = 0 ] && [ "$found" = 0 ]; then
        ok "$kind: no charts, as none are drawn (its figures are tables)"
    else
        fail "$kind: charts: $expected in the file, $found in the page, $sized drawn with a size, $zero of zero size"
    fi
    headless --virtual-time-budget=5000 --window-size=1280,6000 --screenshot="$ART/$kind.png" "file://$(realpath "$html")" >/dev/null 2>&1
    [ -s "$ART/$kind.png" ] && ok "$kind: screenshot kept in $ART/$kind.png" || fail "$kind: no screenshot"
    local pdf="$dir/report.pdf"
    : >"$work/$kind.txt"
    if [ "$(head -c 5 "$pdf" 2>/dev/null)" = "%PDF-" ] && pdfinfo "$pdf" >"$work/$kind.info" 2>/dev/null; then
        pages=$(awk '/^Pages:/{print $2}' "$work/$kind.info")
        pdftotext -layout "$pdf" "$work/$kind.txt"
        missing=""
        for t in "$@"; do grep -qF "$t" "$work/$kind.txt" || missing="$missing [$t]"; done
        if [ "${pages:-0}" -ge "$minpages" ] && [ -z "$missing" ]; then
            ok "$kind: report.pdf is a PDF of $pages pages with the expected text"
        else
            fail "$kind: report.pdf: $pages pages; missing text:$missing"
        fi
        cp "$pdf" "$ART/$kind.pdf"
    else
        fail "$kind: report.pdf is not a valid PDF"
    fi
    check_layout "$kind" "$dir" 1280 screen
    check_layout "$kind" "$dir" 712 print
}

# In the browser, on a copy of report.html beside it with layout.js at its end: no text boxes of
# a chart that overlap or leave it, no blocks of the page that overlap or leave it; at the
# screen's width, also report.pdf's text against the page (every heading, every verdict); at
# the printed page's width (A4 less its margins, 680 px, and the body's padding), with the
# page's print rule for the body.
check_layout() { # kind dir width screen|print
    local kind=$1 dir=$2 width=$3 media=$4
    local page="$dir/.layout-check.html" dom="$work/$kind-$width.dom"
    {
        sed '/<\/body>/,$d' "$dir/report.html"
        [ "$media" = print ] && echo '<style>body { max-width: none; margin: 0; }</style>'
        [ "$media" = screen ] && printf '<script>window.PDF_TEXT_B64="%s";</script>\n' "$(base64 -w0 "$work/$kind.txt")"
        echo '<script>'; cat .ci/report/layout.js; echo '</script>'
        printf '</body>\n</html>\n'
    } >"$page"
    headless --virtual-time-budget=5000 --window-size="$width,2000" --dump-dom "file://$(realpath "$page")" >"$dom" 2>/dev/null
    rm -f "$page"
    local n
    n=$(grep -o 'data-layout-problems="[0-9]*"' "$dom" | grep -o '[0-9][0-9]*')
    if [ "$n" = 0 ]; then
        if [ "$media" = screen ]; then
            ok "$kind: at $width px nothing overlaps, and report.pdf holds every heading and verdict"
        else
            ok "$kind: at $width px ($media) nothing overlaps"
        fi
    else
        fail "$kind: at $width px ($media): ${n:-no result of the} layout problem(s):"
        perl -0ne 'print "$1\n" if /<pre id="layout-check">(.*?)<\/pre>/s' "$dom" | head -20 >&2
    fi
}

export PLEDGESIM_BROWSER="$browser"
# A run of the default scenario, with its report.
"$BIN" run --quiet -r 4 --out "$work/run" >/dev/null && "$BIN" report "$work/run" >"$work/run-report.out" 2>&1 \
    || { fail "run: pledgesim report failed: $(tail -2 "$work/run-report.out")"; }
check_report run "$work/run" 2 "Summary" "which pledges are kept" "Assumptions" "Method" "Running the same program version"
# A comparison.
"$BIN" compare --quiet -r 4 scenarios/small.toml scenarios/small-15.toml --out "$work/cmp" >/dev/null \
    && "$BIN" report "$work/cmp" >"$work/cmp-report.out" 2>&1 || fail "compare: pledgesim report failed"
check_report compare "$work/cmp" 1 "Comparing scenarios" "Method"
# A sweep of six points, with a label for one parameter.
cat >"$work/sweep.toml" <<EOF
name = "handlers"
base = "$(realpath scenarios/small.toml)"
replications = 2
[grid]
"roster.handlers.constant" = { from = 12, to = 14 }
"demand.non_emergency.calls_per_week" = [18000, 22000]
[labels]
"roster.handlers.constant" = "Call handlers on duty"
EOF
"$BIN" sweep --quiet "$work/sweep.toml" --out "$work/sweep" >/dev/null 2>&1 \
    && "$BIN" report "$work/sweep" >"$work/sweep-report.out" 2>&1 || fail "sweep: pledgesim report failed"
check_report sweep "$work/sweep" 1 "Call handlers on duty" "Method"
# A staffing search.
"$BIN" staff --quiet -r 2 scenarios/small.toml --out "$work/staff" >/dev/null 2>&1 \
    && "$BIN" report "$work/staff" >"$work/staff-report.out" 2>&1 || fail "staff: pledgesim report failed"
check_report staff "$work/staff" 1 "roster"
# A calibration of one unknown to one figure, with few points.
cat >"$work/observed.toml" <<EOF
[[observed]]
kpi = "T2"
scope = "channel"
scope_value = "non-emergency"
clock = "call"
statistic = "share_within"
value = 0.902
se = 0.003
[fit]
"demand.non_emergency.patience.mean" = { from = "2min", to = "20min" }
[method]
start_points = 8
evaluations = 30
replications = 2
final_replications = 2
EOF
"$BIN" calibrate --quiet scenarios/small.toml --observed "$work/observed.toml" -o "$work/calibrate" >/dev/null 2>&1 \
    && "$BIN" report "$work/calibrate" >"$work/calibrate-report.out" 2>&1 || fail "calibrate: pledgesim report failed"
check_report calibrate "$work/calibrate" 1 "The fit" "How it was fitted"
# A fit of a call log: the shipped log fitted on its own scenario, its report printed.
"$BIN" fit --quiet scenarios/county-district-calls.csv.gz --base scenarios/county-district.toml \
    -o "$work/fitted.toml" >/dev/null 2>&1 \
    && "$BIN" report "$work/fitted-fit" >"$work/fit-report.out" 2>&1 || fail "fit: pledgesim report failed"
check_report fit "$work/fitted-fit" 2 "Calls through the week" "Patience" "Durations" "Grades, categories and wards"
# A template that frames a local file: the file must not reach report.pdf.
echo "NOT-FOR-THE-REPORT-4711" >"$work/secret.txt"
printf '<html><head><title>{{title}}</title><style>{{style}}</style></head><body><iframe src="file://%s"></iframe><p>REPORT-MARK</p>{{body}}</body></html>' \
    "$work/secret.txt" >"$work/framed.html"
if "$BIN" report "$work/run" --template "$work/framed.html" >/dev/null 2>&1 \
    && pdftotext "$work/run/report.pdf" "$work/framed.txt" && grep -q REPORT-MARK "$work/framed.txt"; then
    grep -q NOT-FOR-THE-REPORT "$work/framed.txt" && fail "a template put a local file into report.pdf" \
        || ok "a template's file:// frame shows nothing in report.pdf"
else
    fail "the report with a framing template was not printed"
fi
finish
