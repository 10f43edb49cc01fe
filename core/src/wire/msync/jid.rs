//! `JID`: an address (PROTOCOL.md §6.4).

message! {
    /// An address: a user, group or chat room, and optionally one device (§6.4).
    ///
    /// Own JID: `{app_key, name: user, domain: "easemob.com", client_resource: resource}`. A queue
    /// is the bare `{app_key, name, domain}`; compare queues with [`Jid::same_bare`].
    Jid<'a> = "JID" {
        /// `org#app`.
        1 => app_key: Option<&'a str>,
        /// User, group or chat-room ID.
        2 => name: Option<&'a str>,
        /// `easemob.com` for users, `conference.easemob.com` for groups and chat rooms.
        3 => domain: Option<&'a str>,
        /// The device's resource.
        4 => client_resource: Option<&'a str>,
    }
}

impl<'a> Jid<'a> {
    /// A bare JID `{app_key, name, domain}`.
    pub const fn bare(app_key: &'a str, name: &'a str, domain: &'a str) -> Self {
        Self {
            app_key: Some(app_key),
            name: Some(name),
            domain: Some(domain),
            client_resource: None,
        }
    }

    /// A JID with only a name, as `MessageBody.from` / `to` carry.
    pub const fn name_only(name: &'a str) -> Self {
        Self {
            app_key: None,
            name: Some(name),
            domain: None,
            client_resource: None,
        }
    }

    /// True when both name the same queue: app key, name and domain equal, resource ignored.
    pub fn same_bare(&self, other: &Jid<'_>) -> bool {
        self.app_key == other.app_key && self.name == other.name && self.domain == other.domain
    }
}
