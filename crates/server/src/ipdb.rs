//! The ipfirm database behind an atomically swappable pointer: reloads (file change, SIGHUP,
//! admin call) never make a request fail; a bad new file leaves the old one serving.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use arc_swap::ArcSwap;
use ipfirm::Database;

/// The current database and where it came from.
#[derive(Debug)]
pub struct IpDb {
    current: ArcSwap<Database>,
    path: Option<PathBuf>,
    stamp: Mutex<Option<(SystemTime, u64)>>,
}

fn stamp_of(path: &Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

impl IpDb {
    /// Opens and fully verifies `path`.
    ///
    /// # Errors
    /// The core crate's error (naming the file).
    pub fn open(path: &Path) -> Result<IpDb, ipfirm::Error> {
        let stamp = stamp_of(path);
        let db = Database::open(path)?;
        Ok(IpDb { current: ArcSwap::from_pointee(db), path: Some(path.to_path_buf()), stamp: Mutex::new(stamp) })
    }

    /// Wraps an in-memory database (tests); reloads are no-ops.
    pub fn from_database(db: Database) -> IpDb {
        IpDb { current: ArcSwap::from_pointee(db), path: None, stamp: Mutex::new(None) }
    }

    /// The database to use for one request.
    pub fn load(&self) -> Arc<Database> {
        self.current.load_full()
    }

    /// Re-reads the file and swaps it in. Returns a one-line description.
    ///
    /// # Errors
    /// The open error; the old database keeps serving.
    pub fn reload(&self) -> Result<String, String> {
        let Some(path) = &self.path else { return Ok("in-memory database: nothing to reload".into()) };
        let stamp = stamp_of(path);
        let db = Database::open(path).map_err(|e| e.to_string())?;
        let msg = format!("{}: {} companies, built {}", path.display(), db.company_count(), db.metadata().build_time);
        self.current.store(Arc::new(db));
        *self.stamp.lock().unwrap_or_else(|p| p.into_inner()) = stamp;
        Ok(msg)
    }

    /// Reloads when the file's modification time or size changed. `None` when unchanged.
    pub fn reload_if_changed(&self) -> Option<Result<String, String>> {
        let path = self.path.as_ref()?;
        let now = stamp_of(path)?;
        if *self.stamp.lock().unwrap_or_else(|p| p.into_inner()) == Some(now) {
            return None;
        }
        Some(self.reload())
    }
}
