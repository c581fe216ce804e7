//! A table read as the bytes it stores, under its own types' names and orderings: copied
//! (backups) or hashed (the seal) without decoding a thing.

use redb::{Key, TypeName, Value};
use std::marker::PhantomData;

/// A table's keys or values as raw bytes, under the real type's name and order.
pub(super) struct Raw<T>(PhantomData<T>);

impl<T> std::fmt::Debug for Raw<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Raw")
    }
}

impl<T: Value + 'static> Value for Raw<T> {
    type SelfType<'a>
        = &'a [u8]
    where
        Self: 'a;
    type AsBytes<'a>
        = &'a [u8]
    where
        Self: 'a;

    fn fixed_width() -> Option<usize> {
        T::fixed_width()
    }

    fn from_bytes<'a>(data: &'a [u8]) -> &'a [u8]
    where
        Self: 'a,
    {
        data
    }

    fn as_bytes<'a, 'b: 'a>(value: &'a &'b [u8]) -> &'a [u8]
    where
        Self: 'b,
    {
        value
    }

    fn type_name() -> TypeName {
        T::type_name()
    }
}

impl<T: Key + 'static> Key for Raw<T> {
    fn compare(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
        T::compare(a, b)
    }
}
