package filter

import (
	"errors"
	"strings"
	"testing"
)

type rec map[string]string

func (r rec) get(attr string) string { return r[attr] }

var (
	smsActive   = rec{"type": "SMS", "status": "ACTIVE"}
	smsPending  = rec{"type": "SMS", "status": "ACTIVATION_REQUIRED"}
	emailActive = rec{"type": "EMAIL", "status": "ACTIVE"}
	totpBlocked = rec{"type": "TOTP", "status": "BLOCKED"}
	all         = []rec{smsActive, smsPending, emailActive, totpBlocked}
)

func TestParseAndMatch(t *testing.T) {
	tests := []struct {
		name   string
		filter string
		want   []rec
	}{
		{"one_eq", `type eq "SMS"`, []rec{smsActive, smsPending}},
		{"and", `type eq "SMS" and status eq "ACTIVE"`, []rec{smsActive}},
		{"or", `type eq "EMAIL" or type eq "TOTP"`, []rec{emailActive, totpBlocked}},
		{"and_binds_tighter", `type eq "EMAIL" or type eq "SMS" and status eq "ACTIVE"`, []rec{smsActive, emailActive}},
		{"parentheses", `(type eq "EMAIL" or type eq "SMS") and status eq "ACTIVE"`, []rec{smsActive, emailActive}},
		{"nested", `((status eq "BLOCKED"))`, []rec{totpBlocked}},
		{"case_insensitive", `TYPE EQ "sms" AND Status Eq "active"`, []rec{smsActive}},
		{"spacing", "\ttype   eq\"SMS\"and(status eq \"ACTIVATION_REQUIRED\")\n", []rec{smsPending}},
		{"no_match", `type eq "FIDO2"`, nil},
		{"escaped_quote", `type eq "S\"MS"`, nil},
		{"chain_of_ors", `status eq "X" or status eq "Y" or status eq "BLOCKED"`, []rec{totpBlocked}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := Parse(tt.filter, "type", "status")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var got []rec
			for _, r := range all {
				if x.Match(r.get) {
					got = append(got, r)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("matched %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i]["type"] != tt.want[i]["type"] || got[i]["status"] != tt.want[i]["status"] {
					t.Fatalf("matched %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	deep := strings.Repeat("(", MaxDepth+1) + `type eq "SMS"` + strings.Repeat(")", MaxDepth+1)
	many := strings.Repeat(`type eq "SMS" or `, MaxTerms) + `type eq "SMS"`
	tests := []struct {
		name   string
		filter string
		want   string // part of the message
	}{
		{"empty", "", "is empty"},
		{"blank", "   ", "is empty"},
		{"unknown_attribute", `nickname eq "Work"`, `names "nickname" at 1`},
		{"operator_ne", `type ne "SMS"`, `operator "ne"`},
		{"operator_sw", `type sw "S"`, `operator "sw"`},
		{"operator_pr", `type pr`, `operator "pr"`},
		{"not", `not (type eq "SMS")`, `"not"`},
		{"unquoted", `type eq SMS`, `"SMS" at 9 where a quoted value`},
		{"number", `status eq 1`, `where a quoted value`},
		{"missing_value", `type eq`, "the end at 8"},
		{"missing_operator", `type "SMS"`, "a string at 6 where an operator"},
		{"unterminated", `type eq "SMS`, "not closed"},
		{"bad_escape", `type eq "S\nMS"`, "unsupported escape"},
		{"unbalanced_open", `(type eq "SMS"`, `where ")" should close`},
		{"unbalanced_close", `type eq "SMS")`, `")" at 14 where the filter should end`},
		{"trailing_and", `type eq "SMS" and`, "where an attribute name"},
		{"leading_or", `or type eq "SMS"`, `"or" at 1 where an attribute name`},
		{"two_values", `type eq "SMS" "VOICE"`, "where the filter should end"},
		{"juxtaposed", `type eq "SMS" status eq "ACTIVE"`, `"status" at 15 where the filter should end`},
		{"bad_character", `type == "SMS"`, `unexpected '='`},
		{"operator_object", `type eq {"$ne":""}`, `unexpected '{'`},
		{"too_deep", deep, "deeper than"},
		{"too_many_terms", many, "more than 32 comparisons"},
		{"too_long", `type eq "` + strings.Repeat("x", MaxLength) + `"`, "longer than"},
		{"invalid_utf8", "type eq \"\xff\"", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.filter, "type", "status")
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("Parse(%q) = %v, want a filter error", tt.filter, err)
			}
			if !strings.Contains(fe.Error(), tt.want) {
				t.Fatalf("error %q lacks %q", fe.Error(), tt.want)
			}
		})
	}
}
