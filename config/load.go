package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"portfolio/server"
)

// Loaded is what Load read.
type Loaded struct {
	Config server.Config
	// Args are the arguments after the flags.
	Args []string
	// Unknown lists each PORTFOLIO_* variable that is no setting (a typo, most likely); it
	// is ignored, and the caller warns about it.
	Unknown []Unknown
}

// Unknown is a PORTFOLIO_* variable that names no setting, with the setting name nearest to
// it by edit distance.
type Unknown struct {
	Name, Closest string
}

func (u Unknown) String() string {
	return u.Name + " is not a setting and is ignored; did you mean " + u.Closest + "?"
}

// origin is where a setting's value came from; error messages name that place.
type origin int

const (
	fromDefault origin = iota
	fromEnv
	fromFlag
)

// Flag is the setting's flag name without dashes, "" for a secret (environment-only) one.
func (s Setting) Flag() string {
	if s.Secret {
		return ""
	}
	return strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(s.Env, "PORTFOLIO_"), "_", "-"))
}

// Load reads the settings from args (flags) and environ (KEY=VALUE, as os.Environ gives):
// a flag beats its variable, which beats server.Defaults(). It returns flag.ErrHelp for
// -h or --help, and otherwise the first bad value as one line naming the flag or the
// variable it came from, the value and what is wanted. Unknown PORTFOLIO_* variables are
// listed in the result, with an error too.
func Load(args, environ []string) (Loaded, error) {
	cfg := server.Defaults()
	rows := Settings()
	values := make([]Value, len(rows))
	gave := make([]given, len(rows))
	for i, s := range rows {
		values[i] = s.Value(&cfg)
	}

	env := map[string]string{}
	var out Loaded
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		env[k] = v
		if strings.HasPrefix(k, "PORTFOLIO_") && find(rows, k) < 0 {
			out.Unknown = append(out.Unknown, Unknown{Name: k, Closest: closest(k, rows)})
		}
	}
	fs := flag.NewFlagSet("portfolio", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the caller prints one line for an error, and the help
	fs.Usage = func() {}
	var setErr error
	for i, s := range rows {
		if s.Flag() != "" {
			fs.Var(&flagValue{Value: values[i], row: s, err: &setErr, raw: &gave[i].raw}, s.Flag(), "")
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return out, err
		}
		if setErr != nil {
			return out, setErr
		}
		return out, flagError(err, rows)
	}
	flagged := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { flagged[f.Name] = true })

	for i, s := range rows {
		if flagged[s.Flag()] && s.Flag() != "" {
			gave[i].from = fromFlag
			continue
		}
		val, ok := env[s.Env]
		if !ok {
			continue
		}
		gave[i] = given{from: fromEnv, raw: val}
		if err := values[i].Set(val); err != nil {
			return out, fmt.Errorf("%s: %v%s", s.describe(fromEnv, val), err, rangeHint(values[i]))
		}
	}
	if err := validate(cfg, rows, gave); err != nil {
		return out, err
	}
	out.Config, out.Args = cfg, fs.Args()
	return out, nil
}

// flagValue is a Value set from the command line; it keeps the first parse error in the
// form every other message has (the flag package's own names the flag with one dash).
type flagValue struct {
	Value
	row Setting
	err *error
	raw *string // the text given, for later messages
}

func (f *flagValue) Set(s string) error {
	*f.raw = s
	err := f.Value.Set(s)
	if err != nil && *f.err == nil {
		*f.err = fmt.Errorf("%s: %v%s", f.row.describe(fromFlag, s), err, rangeHint(f.Value))
	}
	return err
}

// IsBoolFlag lets a bool setting's flag stand alone (--log-mask-addr).
func (f *flagValue) IsBoolFlag() bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// rangeHint is the range a value must also lie in, for a parse error's message.
func rangeHint(v Value) string {
	if r := v.Range(); r != "" {
		return " (" + plain(r) + ")"
	}
	return ""
}

// flagError rewrites the flag package's errors in this package's words: --name, and for an
// unknown flag the closest known one.
func flagError(err error, rows []Setting) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		name = strings.TrimLeft(name, "-")
		env := "PORTFOLIO_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		guess := rows[find(rows, closest(env, rows))]
		if guess.Flag() == "" {
			return fmt.Errorf("unknown flag --%s", name)
		}
		return fmt.Errorf("unknown flag --%s (did you mean --%s?)", name, guess.Flag())
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Errorf("--%s needs a value", strings.TrimLeft(name, "-"))
	}
	return err
}

func find(rows []Setting, env string) int {
	for i, s := range rows {
		if s.Env == env {
			return i
		}
	}
	return -1
}

// closest is the setting name nearest to name: the shortest that contains it (a name cut
// short, PORTFOLIO_MAX_SESSION), else the nearest by edit distance (the first of equals).
func closest(name string, rows []Setting) string {
	typo := strings.TrimPrefix(name, "PORTFOLIO_")
	best, bestDist := "", -1
	for _, s := range rows {
		if strings.Contains(s.Env, typo) && (best == "" || !strings.Contains(best, typo) || len(s.Env) < len(best)) {
			best, bestDist = s.Env, 0
			continue
		}
		if d := editDistance(name, s.Env); bestDist < 0 || (bestDist > 0 && d < bestDist) {
			best, bestDist = s.Env, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes (names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
