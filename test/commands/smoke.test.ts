import { expect } from 'chai';
import { Session, resp } from '../helpers/session.js';

describe('smoke', () => {
  it('sets and gets', () => {
    const s = new Session();
    expect(s.call('SET', 'a', 'b')).to.equal(resp.ok);
    expect(s.call('get', 'a')).to.equal(resp.bulk('b'));
    expect(s.call('GET', 'missing')).to.equal(resp.nil);
    expect(s.call('NOPE', 'x')).to.equal(resp.err("ERR unknown command 'NOPE', with args beginning with: 'x' "));
    expect(s.call('GET')).to.equal(resp.err("ERR wrong number of arguments for 'get' command"));
  });
});
