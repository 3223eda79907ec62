//! A short-lived, in-process cache of client configuration read on every
//! inbound SMS: clients by Twilio number, weekly schedules, active teams
//! and webhook endpoints.
//!
//! Entries live [`CONFIG_TTL`]. Every configuration write through this
//! [`Db`](crate::Db) forgets what it changed once it is stored, so a
//! process sees its own changes at once; other processes sharing the
//! database see them within the TTL. Nothing that decides a race is
//! cached: ring groups, acceptances, claims and messages always go to the
//! database.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hotline_domain::routing::model::{Client, TeamMember};
use hotline_domain::webhooks::WebhookEndpoint;
use hotline_domain::{ClientId, WeeklySchedule};

/// How long a cached entry is trusted.
pub const CONFIG_TTL: Duration = Duration::from_secs(2);
/// Most entries per map; a full map is emptied rather than grown.
const MAX_ENTRIES: usize = 10_000;

/// One map of cached values.
#[derive(Debug)]
struct Entries<K, V>(Mutex<HashMap<K, (Instant, V)>>);

impl<K: std::hash::Hash + Eq, V: Clone> Entries<K, V> {
    fn new() -> Self {
        Self(Mutex::new(HashMap::new()))
    }

    fn get(&self, key: &K) -> Option<V> {
        let map = self.0.lock().ok()?;
        map.get(key)
            .filter(|(at, _)| at.elapsed() < CONFIG_TTL)
            .map(|(_, value)| value.clone())
    }

    fn put(&self, key: K, value: V) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(key, (Instant::now(), value));
        }
    }

    fn clear(&self) {
        if let Ok(mut map) = self.0.lock() {
            map.clear();
        }
    }
}

/// The cache; see the module documentation.
#[derive(Debug)]
pub struct ConfigCache {
    /// Bumped by every write, so a read that raced a write is not kept.
    generation: AtomicU64,
    clients: Entries<String, Option<Client>>,
    clients_by_id: Entries<ClientId, Option<Client>>,
    schedules: Entries<ClientId, Option<WeeklySchedule>>,
    teams: Entries<ClientId, Vec<TeamMember>>,
    endpoints: Entries<ClientId, Vec<WebhookEndpoint>>,
    endpoints_by_id: Entries<uuid::Uuid, Option<WebhookEndpoint>>,
}

impl Default for ConfigCache {
    fn default() -> Self {
        Self {
            generation: AtomicU64::new(0),
            clients: Entries::new(),
            clients_by_id: Entries::new(),
            schedules: Entries::new(),
            teams: Entries::new(),
            endpoints: Entries::new(),
            endpoints_by_id: Entries::new(),
        }
    }
}

impl ConfigCache {
    /// The generation to pass back when storing what is about to be read.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The client with this Twilio number, if cached.
    pub fn client_by_number(&self, number: &str) -> Option<Option<Client>> {
        self.clients.get(&number.to_owned())
    }

    /// Remembers the client with this number, unless a write came since `generation`.
    pub fn put_client_by_number(&self, generation: u64, number: &str, client: Option<Client>) {
        if self.generation() == generation {
            self.clients.put(number.to_owned(), client);
        }
    }

    /// The client with this id, if cached.
    pub fn client(&self, client: ClientId) -> Option<Option<Client>> {
        self.clients_by_id.get(&client)
    }

    /// Remembers the client with this id, unless a write came since `generation`.
    pub fn put_client(&self, generation: u64, id: ClientId, client: Option<Client>) {
        if self.generation() == generation {
            self.clients_by_id.put(id, client);
        }
    }

    /// The client's schedule, if cached.
    pub fn schedule(&self, client: ClientId) -> Option<Option<WeeklySchedule>> {
        self.schedules.get(&client)
    }

    /// Remembers a schedule, unless a write came since `generation`.
    pub fn put_schedule(
        &self,
        generation: u64,
        client: ClientId,
        schedule: Option<WeeklySchedule>,
    ) {
        if self.generation() == generation {
            self.schedules.put(client, schedule);
        }
    }

    /// The client's active team, if cached.
    pub fn team(&self, client: ClientId) -> Option<Vec<TeamMember>> {
        self.teams.get(&client)
    }

    /// Remembers an active team, unless a write came since `generation`.
    pub fn put_team(&self, generation: u64, client: ClientId, team: Vec<TeamMember>) {
        if self.generation() == generation {
            self.teams.put(client, team);
        }
    }

    /// The client's webhook endpoints, if cached.
    pub fn endpoints(&self, client: ClientId) -> Option<Vec<WebhookEndpoint>> {
        self.endpoints.get(&client)
    }

    /// Remembers a client's endpoints, unless a write came since `generation`.
    pub fn put_endpoints(&self, generation: u64, client: ClientId, list: Vec<WebhookEndpoint>) {
        if self.generation() == generation {
            self.endpoints.put(client, list);
        }
    }

    /// The endpoint with this id (read by every delivery), if cached.
    pub fn endpoint(&self, id: uuid::Uuid) -> Option<Option<WebhookEndpoint>> {
        self.endpoints_by_id.get(&id)
    }

    /// Remembers an endpoint by id, unless a write came since `generation`.
    pub fn put_endpoint(&self, generation: u64, id: uuid::Uuid, endpoint: Option<WebhookEndpoint>) {
        if self.generation() == generation {
            self.endpoints_by_id.put(id, endpoint);
        }
    }

    /// Forgets everything after a configuration write.
    pub fn forget(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.clients.clear();
        self.clients_by_id.clear();
        self.schedules.clear();
        self.teams.clear();
        self.endpoints.clear();
        self.endpoints_by_id.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_that_raced_a_write_is_not_kept() {
        let cache = ConfigCache::default();
        let client = ClientId::from_uuid(uuid::Uuid::now_v7());
        let before = cache.generation();
        cache.forget();
        cache.put_team(before, client, Vec::new());
        assert!(cache.team(client).is_none());
        cache.put_team(cache.generation(), client, Vec::new());
        assert_eq!(cache.team(client), Some(Vec::new()));
        cache.forget();
        assert!(cache.team(client).is_none());
    }
}
