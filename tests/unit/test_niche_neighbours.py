"""Account votes: counts per account and each creator's shares, worked by hand."""

from __future__ import annotations

import numpy as np

from microscout.core.niche.neighbours import count_accounts, distinct_pairs, vote_shares

# Creators 0 and 1 are class 0 (say food), creator 2 is class 1 (fitness); creator 3 is new.
CREATOR = np.array([0, 0, 1, 2, 2, 3, 3, 3])
ACCOUNTS = ["ann", "bob", "ann", "bob", "cy", "ann", "cy", "zed"]
LABEL = np.array([0, 0, 1])


def test_counts_say_how_many_labelled_creators_of_each_class_each_account_was_around() -> None:
    table = count_accounts(CREATOR[:5], ACCOUNTS[:5], LABEL, 2)
    counts = dict(zip(table.accounts, table.counts.tolist(), strict=True))
    # ann: creators 0 and 1 (both class 0); bob: 0 (class 0) and 2 (class 1); cy: 2 (class 1)
    assert counts == {"ann": [2, 0], "bob": [1, 1], "cy": [0, 1]}


def test_a_new_creator_votes_with_its_accounts_and_unseen_accounts_count_nothing() -> None:
    table = count_accounts(CREATOR[:5], ACCOUNTS[:5], LABEL, 2)
    shares = vote_shares(CREATOR, ACCOUNTS, 4, table)
    # creator 3: ann [2, 0] + cy [0, 1] (zed unseen) = [2, 1] -> [2/3, 1/3]
    assert np.allclose(shares[3], [2 / 3, 1 / 3])


def test_a_labelled_creator_leaves_its_own_label_out_of_its_votes() -> None:
    table = count_accounts(CREATOR[:5], ACCOUNTS[:5], LABEL, 2)
    shares = vote_shares(CREATOR[:5], ACCOUNTS[:5], 3, table, own_label=LABEL)
    # creator 0: ann [2,0] + bob [1,1] minus itself twice = [1, 1]
    assert np.allclose(shares[0], [0.5, 0.5])
    # creator 1: ann [2,0] minus itself = [1, 0]
    assert np.allclose(shares[1], [1.0, 0.0])
    # creator 2: bob [1,1] + cy [0,1] minus itself twice = [1, 0]: only creator 0 is beside it
    assert np.allclose(shares[2], [1.0, 0.0])


def test_a_creator_with_no_shared_account_has_no_votes_rather_than_an_even_split() -> None:
    table = count_accounts(CREATOR[:5], ACCOUNTS[:5], LABEL, 2)
    shares = vote_shares(np.array([0]), ["nobody"], 2, table)
    assert shares.tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_pairs_are_counted_once_whatever_the_spelling_of_the_handle() -> None:
    creator, accounts = distinct_pairs(np.array([0, 0, 0, 1]), ["@Ann", "ann ", "", "ANN"])
    assert creator.tolist() == [0, 1]
    assert accounts == ["ann", "ann"]
