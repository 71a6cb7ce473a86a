//! The owner's line: the shop's own people calling or texting the shop's number to ask
//! about their book of work ("what's on tomorrow", "who's the 2 o'clock") or to act on it
//! ("cancel the 3 o'clock", "text me the address of the next job"). Pure: [`ask`] reads a
//! question, [`session`] keeps who is asking and what waits for a second "yes", and
//! [`speak`] words the answers. Loading the facts and acting is `flows::owner_line`.

pub mod ask;
pub mod session;
pub mod speak;

pub use ask::{parse, pin_digits, Ask};
pub use session::{LineSession, Pending, PendingChange, Stage};
