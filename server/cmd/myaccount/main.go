// Command myaccount is the MyAccount server and its operator CLI:
//
//	myaccount serve                      start the server
//	myaccount users create --env ID --username NAME --email ADDR
//	                                     create a user (password from stdin or prompted)
//	myaccount outbox --env ID            show the dev outbox, newest first
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "myaccount:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  myaccount serve [flags]                 start the server (flags: myaccount serve -h)
  myaccount users create --env ENV_ID --username NAME --email ADDRESS [--given NAME --family NAME]
                                          create a user; the password is read from stdin
  myaccount outbox --env ENV_ID [--limit N]
                                          list the dev outbox, newest first`

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		args = []string{"serve"}
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "users":
		if len(args) < 2 || args[1] != "create" {
			return errors.New(usage)
		}
		return createUser(ctx, args[2:], getenv, stdin, stdout, stderr)
	case "outbox":
		return outbox(ctx, args[1:], getenv, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return errors.New(usage)
}

func logger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
