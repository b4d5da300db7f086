package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "sshload:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "baseline-server":
			return serverMain("baseline", args[1:])
		case "tea-server":
			return serverMain("tea", args[1:])
		case "trace":
			return traceMain(args[1:])
		case "admission":
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return admissionMain(ctx, args[1:])
		case "memory":
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return memoryMain(ctx, args[1:])
		}
	}
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.MaxTime)
	defer cancel()
	rep, err := measure(ctx, cfg, args)
	if rep != nil {
		rep.print(os.Stdout)
		if cfg.JSONPath != "" {
			if jerr := writeJSON(cfg.JSONPath, rep); jerr != nil && err == nil {
				err = jerr
			}
		}
	}
	return err
}
