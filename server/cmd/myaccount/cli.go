package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/myaccount/myaccount/server"
	"github.com/myaccount/myaccount/server/internal/config"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/server/internal/passwordpolicy"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/valid"
)

// openForCLI opens the store the server would use (same environment
// variables), for the operator commands.
func openForCLI(ctx context.Context, getenv func(string) string, stderr io.Writer) (store.Store, error) {
	cfg, err := config.Load(nil, getenv)
	if err != nil {
		return nil, fmt.Errorf("configuration:\n%w", err)
	}
	st, _, err := server.OpenStore(ctx, cfg, slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	return st, err
}

func createUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("users create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	envID := fs.String("env", "", "environment id")
	username := fs.String("username", "", "username")
	email := fs.String("email", "", "email address")
	given := fs.String("given", "", "given name")
	family := fs.String("family", "", "family name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var problems []error
	if valid.UUID(*envID) != nil {
		problems = append(problems, errors.New("--env must be an environment id"))
	}
	if err := valid.Username(*username); err != nil {
		problems = append(problems, fmt.Errorf("--username %w", err))
	}
	if err := valid.Email(*email); err != nil {
		problems = append(problems, fmt.Errorf("--email %w", err))
	}
	for name, v := range map[string]string{"--given": *given, "--family": *family} {
		if err := valid.Text(v, valid.MaxName); err != nil {
			problems = append(problems, fmt.Errorf("%s %w", name, err))
		}
	}
	if len(problems) > 0 {
		return errors.Join(problems...)
	}
	fmt.Fprint(stderr, "Password (read from stdin): ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password: %w", err)
	}
	fmt.Fprintln(stderr)
	pw := strings.TrimRight(line, "\r\n")
	if err := valid.Password(pw); err != nil {
		return fmt.Errorf("password %w", err)
	}
	if len([]rune(pw)) < 8 {
		return errors.New("password must have at least 8 characters")
	}

	st, err := openForCLI(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	env, err := st.GetEnvironment(ctx, strings.ToLower(*envID))
	if err != nil || env.Deleted {
		return fmt.Errorf("environment %s not found (start the server once to create the environments)", *envID)
	}
	now := time.Now()
	u := &store.User{
		EnvironmentID: env.ID, ID: ids.New(), Username: strings.ToLower(*username), Email: *email,
		GivenName: *given, FamilyName: *family, PasswordChangedAt: now, Enabled: true,
		CreatedAt: now, UpdatedAt: now,
	}
	// The environment's password policy holds here as in the API.
	if d := passwordpolicy.Check(passwordpolicy.Default(env), pw, passwordpolicy.Context{Target: "password",
		Username: u.Username, Profile: passwordpolicy.ProfileOf(u), Now: now}); len(d) > 0 {
		msgs := make([]string, len(d))
		for i, x := range d {
			msgs[i] = x.Message
		}
		return fmt.Errorf("the password does not meet the environment's password policy: %s", strings.Join(msgs, " "))
	}
	if u.PasswordHash, err = password.New(password.Config{}).Hash(ctx, pw); err != nil {
		return err
	}
	if err := st.CreateUser(ctx, u); errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("the username %q is taken in that environment", u.Username)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %s (%s) in environment %s\n", u.Username, u.ID, env.Name)
	return nil
}

func outbox(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("outbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	envID := fs.String("env", "", "environment id")
	limit := fs.Int("limit", 20, "how many messages")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if valid.UUID(*envID) != nil {
		return errors.New("--env must be an environment id")
	}
	st, err := openForCLI(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	msgs, err := st.ListOutbox(ctx, strings.ToLower(*envID), min(max(*limit, 1), 100))
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		fmt.Fprintln(stdout, "The outbox is empty.")
	}
	for _, m := range msgs {
		fmt.Fprintf(stdout, "--- %s  %s  to %s\nSubject: %s\n\n%s\n\n", m.CreatedAt.Local().Format(time.DateTime), m.Channel, m.To, m.Subject, m.Body)
	}
	return nil
}
