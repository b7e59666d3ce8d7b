//! The AWS CLI as data: the embedded model, the shorthand syntax, and the
//! checks of one `aws …` command line against them.

pub mod model;
pub mod shorthand;
