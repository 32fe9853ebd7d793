package ovh

import (
	"testing"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

func TestVRack(t *testing.T) {
	t.Parallel()
	_, c := newEmu(t)
	ctx := testCtx(t)

	st, err := c.VRackStatus(ctx, ovhemu.DemoLB)
	if err != nil || st.State != VRackActive || deref(st.VRackName) != ovhemu.DemoVrack {
		t.Errorf("VRackStatus(%s) = %+v, %v", ovhemu.DemoLB, st, err)
	}
	st2, err := c.VRackStatus(ctx, ovhemu.DemoLB2)
	if err != nil || st2.State != VRackInactive || st2.VRackName != nil {
		t.Errorf("VRackStatus(%s) = %+v, %v", ovhemu.DemoLB2, st2, err)
	}

	nets, err := c.VRackNetworks(ctx, ovhemu.DemoLB)
	if err != nil || len(nets) != 1 {
		t.Fatalf("VRackNetworks = %+v, %v", nets, err)
	}
	n := nets[0]
	if n.Subnet != "10.0.0.0/16" || n.NatIP != "10.0.255.0/27" || n.VLAN != 42 || n.Name() != "prod-private" || len(n.Farms) == 0 {
		t.Errorf("network = %+v", n)
	}
	for _, f := range n.Farms {
		if !f.Type.Valid() || f.ID == 0 {
			t.Errorf("network farm %+v", f)
		}
	}
	one, err := c.VRackNetwork(ctx, ovhemu.DemoLB, n.ID)
	if err != nil || one.ID != n.ID || one.Subnet != n.Subnet {
		t.Errorf("VRackNetwork = %+v, %v", one, err)
	}
	if _, err := c.VRackNetwork(ctx, ovhemu.DemoLB, n.ID+1000); KindOf(err) != KindNotFound {
		t.Errorf("VRackNetwork(unknown) = %v", err)
	}
	if nets2, err := c.VRackNetworks(ctx, ovhemu.DemoLB2); err != nil || len(nets2) != 0 {
		t.Errorf("VRackNetworks(%s) = %v, %v", ovhemu.DemoLB2, nets2, err)
	}
}
