'use strict';
// Pools and desktops by name, shared by the pages: nothing in the console shows a pool or desktop by id alone.

const inventory = {
  pools: new Map(),     // pool id -> pool (as GET desktop-pools lists it)
  desktops: new Map(),  // desktop id -> desktop (as GET desktops/detail lists it)

  pending: null,

  /** Lists the pools and desktops again (the listings' maximum page: 1000 each); pages loading at once share it. */
  load() {
    this.pending ??= (async () => {
      try {
        const [pools, desktops] = await Promise.all([api('/desktop-pools?limit=1000'), api('/desktops/detail?limit=1000')]);
        this.pools = new Map(pools.desktop_pools.map(p => [p.id, p]));
        this.desktops = new Map(desktops.desktops.map(d => [d.desktop_id, d]));
        return this;
      } finally { this.pending = null; }
    })();
    return this.pending;
  },

  poolName(poolId) {
    if (!poolId) return '';
    return this.pools.get(poolId)?.name || '(unknown pool)';
  },

  desktopName(desktopId) {
    return this.desktops.get(desktopId)?.computer_name || desktopId;
  },

  /** "3 online, 1 offline" of these desktops. */
  onlineSummary(desktops) {
    const online = desktops.filter(d => d.agent_online).length;
    return `${online} online, ${desktops.length - online} offline`;
  },

  inPool(poolId) {
    return [...this.desktops.values()].filter(d => d.desktop_pool_id === poolId);
  }
};

/** Options for a <select> of pools, by name; the first option is `empty` (value ''). */
function poolOptions(empty, withCounts = false) {
  return [el('option', { value: '' }, empty), ...[...inventory.pools.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(p => el('option', { value: p.id },
      withCounts ? `${p.name} (${inventory.onlineSummary(inventory.inPool(p.id))})` : p.name))];
}

/** A date input's day as the ISO instant of its local midnight (plus one day for an inclusive end). */
function dayStart(value, plusDays = 0) {
  if (!value) return null;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}
