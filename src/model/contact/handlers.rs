//! Call handlers: shifts, breaks, who takes the next waiting item, idle handlers.

use super::*;

impl ContactCentre<'_> {
    pub(super) fn add_shift(&mut self, q: &mut EventQueue<Event>, now: Time, s: u32, begun: i64) {
        let shift = &self.sc.handlers.shifts[s as usize];
        let (count, dedicated) = (shift.count, shift.dedicated_999);
        for i in 0..count {
            self.add_handler(q, now, s, i < dedicated, Some(begun), i);
        }
    }

    /// Adds handler `i` of a shift that began at `begun` (None: a constant handler, or one
    /// called in on overtime); returns its id.
    pub(super) fn add_handler(
        &mut self,
        q: &mut EventQueue<Event>,
        now: Time,
        shift: u32,
        dedicated: bool,
        begun: Option<i64>,
        i: u32,
    ) -> u32 {
        let h = Handler {
            state: State::Idle,
            dedicated,
            shift_over: false,
            breaks_due: 0,
            next_break: 0,
            shift,
            idle_pos: 0,
            after: None,
        };
        let id = self.handlers.insert(h);
        // A break already under way (a shift that began before time 0) goes on until its end.
        let mut on_break_until = None;
        if let Some(begun) = begun {
            let s = &self.sc.handlers.shifts[shift as usize];
            q.schedule((begun + s.length.0 as i64) as Time, Event::ShiftEnd(id));
            let mut skipped = 0;
            for b in &s.breaks {
                let at = begun + b.start_for(i) as i64;
                if at >= now as i64 {
                    q.schedule(at as Time, Event::BreakStart(id));
                } else {
                    skipped += 1;
                    let end = at + b.length.0 as i64;
                    if end > now as i64 {
                        on_break_until = Some(end as Time);
                    }
                }
            }
            self.handlers[id].next_break = skipped;
        }
        if let Some(end) = on_break_until {
            self.handlers[id].state = State::OnBreak;
            q.schedule(end, Event::BreakEnd(id));
            return id;
        }
        self.staffed.add(now, 1, &self.cal);
        self.available(q, now, id);
        id
    }

    /// A handler is free to take work: leaves if the shift is over, goes on a break if one is
    /// due, else takes the next waiting item or becomes idle.
    pub(super) fn available(&mut self, q: &mut EventQueue<Event>, now: Time, h: u32) {
        let hd = &self.handlers[h];
        if hd.shift_over {
            self.handlers[h].state = State::Free;
            self.handlers.remove(h);
            self.staffed.add(now, -1, &self.cal);
            return;
        }
        if hd.breaks_due > 0 {
            self.begin_break(q, now, h);
            return;
        }
        let dedicated = hd.dedicated;
        match self.next_work(dedicated) {
            Some(class) => self.serve(q, now, h, class),
            None => {
                let list = &mut self.idle[usize::from(dedicated)];
                let hd = &mut self.handlers[h];
                hd.state = State::Idle;
                hd.idle_pos = list.len() as u32;
                list.push(h);
            }
        }
    }

    /// The class whose head a handler takes next, if any work waits.
    #[inline]
    pub(super) fn next_work(&mut self, dedicated: bool) -> Option<usize> {
        let classes: &[usize] = if dedicated {
            &[CLASS_999, CLASS_CALLBACK]
        } else {
            &self.general_order
        };
        if self.fcfs {
            let mut best: Option<(Time, usize)> = None;
            for &c in classes {
                if let Some(w) = self.queues[c].front() {
                    if best.is_none_or(|(t, _)| w.arrival < t) {
                        best = Some((w.arrival, c));
                    }
                }
            }
            best.map(|(_, c)| c)
        } else {
            classes.iter().copied().find(|&c| self.queues[c].live > 0)
        }
    }

    pub(super) fn take_idle(&mut self, class: usize) -> Option<u32> {
        if class == CLASS_NON_EMERGENCY {
            self.idle[0].pop()
        } else {
            self.idle[1].pop().or_else(|| self.idle[0].pop())
        }
    }

    pub(super) fn remove_idle(&mut self, h: u32) {
        let hd = &self.handlers[h];
        let list = &mut self.idle[usize::from(hd.dedicated)];
        let pos = hd.idle_pos as usize;
        list.swap_remove(pos);
        if let Some(&moved) = list.get(pos) {
            self.handlers[moved].idle_pos = pos as u32;
        }
    }

    pub(super) fn on_shift_start(&mut self, q: &mut EventQueue<Event>, now: Time) {
        let s = self.shifts.advance();
        self.add_shift(q, now, s, now as i64);
        let next = self
            .shifts
            .next_time()
            .expect("a shift calendar that started has a next start");
        q.schedule(next, Event::ShiftStart);
    }

    pub(super) fn on_shift_end(&mut self, now: Time, h: u32) {
        self.handlers[h].shift_over = true;
        if self.handlers[h].state == State::Idle {
            self.remove_idle(h);
            self.handlers[h].state = State::Free;
            self.handlers.remove(h);
            self.staffed.add(now, -1, &self.cal);
        }
        // Busy: leaves when the call ends. On a break: leaves when the break ends.
    }

    pub(super) fn on_break_start(&mut self, q: &mut EventQueue<Event>, now: Time, h: u32) {
        let hd = &mut self.handlers[h];
        hd.breaks_due += 1;
        if hd.state == State::Idle {
            self.remove_idle(h);
            self.begin_break(q, now, h);
        }
    }

    pub(super) fn begin_break(&mut self, q: &mut EventQueue<Event>, now: Time, h: u32) {
        let hd = &mut self.handlers[h];
        let b = &self.sc.handlers.shifts[hd.shift as usize].breaks[hd.next_break as usize];
        hd.breaks_due -= 1;
        hd.next_break += 1;
        hd.state = State::OnBreak;
        self.staffed.add(now, -1, &self.cal);
        q.schedule(now + b.length.0, Event::BreakEnd(h));
    }

    pub(super) fn on_break_end(&mut self, q: &mut EventQueue<Event>, now: Time, h: u32) {
        let hd = &mut self.handlers[h];
        if hd.shift_over {
            hd.state = State::Free;
            self.handlers.remove(h);
        } else {
            self.staffed.add(now, 1, &self.cal);
            self.available(q, now, h);
        }
    }
}
