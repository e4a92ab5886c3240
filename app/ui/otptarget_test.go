package ui

import (
	"testing"

	"github.com/myaccount/myaccount/shared/resource"
)

func TestOTPTarget(t *testing.T) {
	active := resource.Device{ID: "d1", Type: "EMAIL", Status: resource.DeviceActive, Email: "a***@example.com"}
	other := resource.Device{ID: "d2", Type: "EMAIL", Status: resource.DeviceActive, Email: "b***@example.com"}
	enrolling := resource.Device{Type: "EMAIL", Status: resource.DeviceActivationRequired, Email: "n***@example.com"}
	tests := []struct {
		name string
		flow resource.Flow
		want string
	}{
		{"selected_device", resource.Flow{SelectedDevice: &resource.Ref{ID: "d2"},
			Embedded: &resource.FlowEmbedded{Devices: []resource.Device{active, other}}}, "b***@example.com"},
		{"default_device", resource.Flow{Embedded: &resource.FlowEmbedded{Devices: []resource.Device{active, other}}}, "a***@example.com"},
		{"enrolling_first_device", resource.Flow{Embedded: &resource.FlowEmbedded{Devices: []resource.Device{enrolling}}}, "n***@example.com"},
		{"no_devices", resource.Flow{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := otpTarget(&tt.flow); got != tt.want {
				t.Fatalf("otpTarget = %q, want %q", got, tt.want)
			}
		})
	}
}
