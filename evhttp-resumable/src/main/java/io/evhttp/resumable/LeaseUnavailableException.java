package io.evhttp.resumable;

/**
 * Another request holds an upload's write lease and did not give it up in time; answered
 * with 423 (Locked), which tus clients retry.
 */
public class LeaseUnavailableException extends Exception {

	private static final long serialVersionUID = 1L;

	public LeaseUnavailableException(String id) {
		super("upload " + id + " is being written by another request");
	}

}
