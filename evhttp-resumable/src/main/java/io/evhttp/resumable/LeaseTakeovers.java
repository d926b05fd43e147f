package io.evhttp.resumable;

/**
 * A store that counts lease takeovers: leases granted on an upload that another request
 * held when they were asked for (the holder was asked to stop, or its lease ran out).
 * Metrics read it; a store without it simply has no such meter.
 */
public interface LeaseTakeovers {

	/** Takeovers since the store was built, by this process. */
	long leaseTakeovers();

}
