package deploy

import (
	"fmt"
	"io"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Instruction is one Dockerfile instruction.
type Instruction struct {
	Cmd   string   // lower case: "from", "env", "expose", ...
	Args  []string // as the parser split them
	Flags []string // like "--from=build"
	JSON  bool     // exec (JSON array) form
	Line  int
}

// Stage is the instructions from one FROM to the next.
type Stage struct {
	From, Name   string
	Instructions []Instruction
}

// Dockerfile is a parsed Dockerfile.
type Dockerfile struct{ Stages []Stage }

// ParseDockerfile parses with BuildKit's own Dockerfile parser.
func ParseDockerfile(r io.Reader) (*Dockerfile, error) {
	res, err := parser.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("parse Dockerfile: %w", err)
	}
	d := &Dockerfile{}
	for _, n := range res.AST.Children {
		in := Instruction{Cmd: strings.ToLower(n.Value), Flags: n.Flags, JSON: n.Attributes["json"], Line: n.StartLine}
		for a := n.Next; a != nil; a = a.Next {
			in.Args = append(in.Args, a.Value)
		}
		if in.Cmd == "from" {
			st := Stage{}
			if len(in.Args) > 0 {
				st.From = in.Args[0]
			}
			if len(in.Args) == 3 && strings.EqualFold(in.Args[1], "as") {
				st.Name = in.Args[2]
			}
			d.Stages = append(d.Stages, st)
		}
		if len(d.Stages) == 0 {
			continue // ARG before the first FROM
		}
		last := &d.Stages[len(d.Stages)-1]
		last.Instructions = append(last.Instructions, in)
	}
	if len(d.Stages) == 0 {
		return nil, fmt.Errorf("parse Dockerfile: no FROM")
	}
	return d, nil
}

// Final is the stage the image runs.
func (d *Dockerfile) Final() Stage { return d.Stages[len(d.Stages)-1] }

// All returns the stage's instructions named cmd.
func (s Stage) All(cmd string) []Instruction {
	var out []Instruction
	for _, in := range s.Instructions {
		if in.Cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// Last returns the stage's last instruction named cmd: the one in force.
func (s Stage) Last(cmd string) (Instruction, bool) {
	all := s.All(cmd)
	if len(all) == 0 {
		return Instruction{}, false
	}
	return all[len(all)-1], true
}

// Env is the environment the stage's ENV instructions set.
func (s Stage) Env() map[string]string {
	env := map[string]string{}
	for _, in := range s.All("env") {
		// The parser gives key, value, separator triples ("=" or "" for
		// the legacy `ENV key value` form).
		for i := 0; i+1 < len(in.Args); i += 3 {
			env[in.Args[i]] = unquote(in.Args[i+1])
		}
	}
	return env
}

// Exposed lists the EXPOSE ports without their protocol.
func (s Stage) Exposed() []string {
	var ports []string
	for _, in := range s.All("expose") {
		for _, p := range in.Args {
			port, _, _ := strings.Cut(p, "/")
			ports = append(ports, port)
		}
	}
	return ports
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
