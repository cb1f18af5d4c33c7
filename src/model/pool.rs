//! Numbered slots reused through a free list: the model's units, incidents, handlers and tasks.
//!
//! A slot freed last is the first reused (last in, first out), and new slots are numbered on
//! from the last. Events carry slot numbers, so this order is part of a run's results.
//!
//! A freed slot keeps its value, readable, until it is reused: a late event can still look at
//! what it refers to (a unit's epoch, an incident's generation) and see that it is stale.

use std::ops::{Index, IndexMut};

pub struct Pool<T> {
    slots: Vec<T>,
    /// Freed slots, the next to reuse last.
    free: Vec<u32>,
    /// Which slots are free (to catch a slot freed twice).
    #[cfg(debug_assertions)]
    vacant: Vec<bool>,
}

impl<T> Default for Pool<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Pool<T> {
    pub fn new() -> Self {
        Pool {
            slots: Vec::new(),
            free: Vec::new(),
            #[cfg(debug_assertions)]
            vacant: Vec::new(),
        }
    }

    /// Puts `value` in the slot freed last, or in a new slot; returns the slot's number.
    pub fn insert(&mut self, value: T) -> u32 {
        self.insert_with(|_| value)
    }

    /// Like [`Pool::insert`], with the value made from the slot's last value (None for a new
    /// slot), so that a count of the slot's reuses can go on.
    pub fn insert_with(&mut self, make: impl FnOnce(Option<&T>) -> T) -> u32 {
        match self.free.pop() {
            Some(i) => {
                #[cfg(debug_assertions)]
                {
                    self.vacant[i as usize] = false;
                }
                let value = make(Some(&self.slots[i as usize]));
                self.slots[i as usize] = value;
                i
            }
            None => {
                let i = u32::try_from(self.slots.len()).expect("fewer than 2^32 slots");
                self.slots.push(make(None));
                #[cfg(debug_assertions)]
                self.vacant.push(false);
                i
            }
        }
    }

    /// Frees slot `i` for reuse; its value stays readable until then.
    pub fn remove(&mut self, i: u32) {
        #[cfg(debug_assertions)]
        {
            assert!(!self.vacant[i as usize], "slot {i} freed twice");
            self.vacant[i as usize] = true;
        }
        self.free.push(i);
    }

    /// Slot `i`'s value, freed or not (None if there is no such slot).
    pub fn get(&self, i: u32) -> Option<&T> {
        self.slots.get(i as usize)
    }

    pub fn get_mut(&mut self, i: u32) -> Option<&mut T> {
        self.slots.get_mut(i as usize)
    }

    /// Slots in use (not freed).
    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every slot's value, freed slots included, in slot order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.slots.iter()
    }

    /// Every slot's value, freed slots included, in slot order.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.slots.iter_mut()
    }
}

impl<T> Index<u32> for Pool<T> {
    type Output = T;
    #[inline]
    fn index(&self, i: u32) -> &T {
        &self.slots[i as usize]
    }
}

impl<T> IndexMut<u32> for Pool<T> {
    #[inline]
    fn index_mut(&mut self, i: u32) -> &mut T {
        &mut self.slots[i as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_slots_are_numbered_on_and_the_last_freed_is_reused_first() {
        let mut p = Pool::new();
        assert_eq!((p.insert('a'), p.insert('b'), p.insert('c')), (0, 1, 2));
        p.remove(0);
        p.remove(2);
        assert_eq!(p.len(), 1);
        assert_eq!(p.insert('d'), 2);
        assert_eq!(p.insert('e'), 0);
        assert_eq!(p.insert('f'), 3);
        assert_eq!(p.len(), 4);
        assert_eq!(p.iter().collect::<String>(), "ebdf");
    }

    #[test]
    fn a_freed_slot_stays_readable_until_reused() {
        let mut p = Pool::new();
        let i = p.insert(7);
        p.remove(i);
        assert_eq!(p[i], 7);
        assert_eq!(p.get(i), Some(&7));
        assert_eq!(p.get(1), None);
        assert!(p.is_empty());
        *p.get_mut(i).unwrap() += 1;
        assert_eq!(p[i], 8);
    }

    #[test]
    fn insert_with_sees_the_slots_last_value() {
        // A generation count that goes on across reuse.
        let mut p = Pool::new();
        let next = |last: Option<&u32>| last.map_or(0, |g| g + 1);
        let i = p.insert_with(next);
        assert_eq!(p[i], 0);
        p.remove(i);
        assert_eq!(p.insert_with(next), i);
        assert_eq!(p[i], 1);
        assert_eq!(p.insert_with(next), 1);
        assert_eq!(p[1], 0);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "freed twice")]
    fn freeing_a_slot_twice_is_caught() {
        let mut p = Pool::new();
        let i = p.insert(());
        p.remove(i);
        p.remove(i);
    }
}
