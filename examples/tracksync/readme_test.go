package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// exampleMarker precedes the worked example: a ```sh block of "$ go run
// … ARGS" lines, each followed by the command's standard output. In the
// output, "…" stands for any text on a line, or, alone on a line, for any
// number of lines.
const exampleMarker = "<!-- example: examples/tracksync -->"

// TestREADMEWorkedExample runs the worked example of this directory's
// README and, once the repository's README holds it too, that one.
func TestREADMEWorkedExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	runExample(t, string(readme))
	top, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	if strings.Contains(string(top), exampleMarker) {
		t.Run("repository README", func(t *testing.T) {
			t.Chdir("../..")
			runExample(t, string(top))
		})
	}
}

func runExample(t *testing.T, doc string) {
	steps := exampleSteps(t, doc)
	require.NotEmpty(t, steps, "no worked example after %s", exampleMarker)
	for _, s := range steps {
		r := runCmd(t.Context(), "", s.args...)
		require.Equal(t, exitOK, r.code, "%v: %s", s.args, r.stderr)
		require.Regexp(t, s.want, r.stdout, "output of %v", s.args)
	}
}

type exampleStep struct {
	args []string
	want *regexp.Regexp
}

// exampleSteps reads the commands of the example block and the output each
// should print.
func exampleSteps(t *testing.T, doc string) []exampleStep {
	_, rest, ok := strings.Cut(doc, exampleMarker)
	if !ok {
		return nil
	}
	_, rest, ok = strings.Cut(rest, "```sh\n")
	require.True(t, ok, "the marker is not followed by a ```sh block")
	block, _, ok := strings.Cut(rest, "```")
	require.True(t, ok, "the example block is not closed")
	var steps []exampleStep
	var want []string
	flush := func() {
		if len(steps) > 0 {
			steps[len(steps)-1].want = outputPattern(want)
		}
		want = nil
	}
	for line := range strings.Lines(block) {
		line = strings.TrimSuffix(line, "\n")
		if cmd, ok := strings.CutPrefix(line, "$ go run "); ok {
			flush()
			fields := strings.Fields(cmd)
			require.NotEmpty(t, fields)
			if fields[0] == "./examples/tracksync" {
				require.Contains(t, t.Name(), "repository", "run from the repository root in its README only")
			}
			steps = append(steps, exampleStep{args: fields[1:]})
			continue
		}
		want = append(want, line)
	}
	flush()
	return steps
}

// outputPattern is the whole output as a regular expression, "…" as the
// wildcard.
func outputPattern(lines []string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`\A`)
	for _, l := range lines {
		if l == "…" {
			b.WriteString(`(?:[^\n]*\n)*?`)
			continue
		}
		parts := strings.Split(l, "…")
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		b.WriteString(strings.Join(parts, `[^\n]*?`) + `\n`)
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String())
}

func TestOutputPattern(t *testing.T) {
	p := outputPattern([]string{"a … c", "…", "end"})
	require.Regexp(t, p, "a b c\nx\ny\nend\n")
	require.Regexp(t, p, "a  c\nend\n")
	require.NotRegexp(t, p, "a b c\nend\nmore\n")
	require.NotRegexp(t, p, "a b\nc\nend\n")
}
